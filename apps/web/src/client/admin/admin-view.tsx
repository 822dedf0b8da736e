"use client";

import type { AdminTaskRow } from "@vitranslator/api/types";
import Link from "next/link";
import type { FormEvent } from "react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert } from "../alert";
import { createApiClient } from "../trpc";
import { formatMs, StageBars } from "./stage-bars";

const TOKEN_KEY = "vt-admin-token";
const STATUSES = ["queued", "processing", "completed", "failed", "cancelled"] as const;
type Status = (typeof STATUSES)[number];

interface Filters {
  query: string;
  status: Status | "";
  language: string;
  from: string;
  to: string;
}

interface QueueInfo {
  stage: string;
  counts: Record<string, number>;
  workers: { name: string; addr: string; age: number }[];
}

function readToken(): string | null {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : "Request failed.";
}

function Login({ onToken }: { onToken: (token: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const value = new FormData(e.currentTarget).get("token");
    const token = typeof value === "string" ? value : "";
    const { api, close } = createApiClient({ adminToken: token });
    try {
      await api.admin.login.query();
      window.sessionStorage.setItem(TOKEN_KEY, token);
      onToken(token);
    } catch (err) {
      setError(message(err));
    } finally {
      close();
    }
  }
  return (
    <form className="card upload-form" onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor="admin-token">Admin token</label>
        <input id="admin-token" name="token" type="password" autoComplete="current-password" required />
        <p className="hint">Kept for this browser tab only.</p>
      </div>
      <Alert message={error} />
      <button type="submit" className="button primary">
        Sign in
      </button>
    </form>
  );
}

function TaskRow({
  t,
  act,
}: {
  t: AdminTaskRow;
  act: (kind: "retry" | "cancel" | "delete", id: string) => void;
}) {
  const total = t.stages.reduce((a, s) => a + s.totalMs, 0);
  return (
    <tr data-task={t.id}>
      <td>
        <Link href={`/watch/${t.id}`}>{t.originalName}</Link>
        <div className="muted">
          <code>{t.id}</code>
        </div>
        <div className="muted">{new Date(t.createdAt).toLocaleString()}</div>
      </td>
      <td>
        <span className={`status status-${t.status}`}>{t.status}</span>
        <div className="muted">
          {(t.sourceLanguage ?? "auto").toUpperCase()} → {t.targetLanguage.toUpperCase()}
        </div>
        <div className="muted">
          {t.publishedCount}/{t.segmentCount ?? "?"} parts
        </div>
      </td>
      <td className="num">{formatMs(total)}</td>
      <td>
        <StageBars stages={t.stages} />
      </td>
      <td>
        {t.errorCode && (
          <div>
            <span className="error-code">{t.errorCode}</span> {t.errorStage ? `(${t.errorStage})` : ""}
            <div className="muted">{t.errorMessage}</div>
          </div>
        )}
        {t.stageErrors.map((e) => (
          <div key={`${e.segmentIndex}-${e.stage}`} className="muted">
            part {e.segmentIndex + 1} {e.stage}: <span className="error-code">{e.errorCode}</span>
          </div>
        ))}
      </td>
      <td>
        <div className="line-edit-actions">
          {t.status === "failed" && (
            <button type="button" className="button secondary" onClick={() => act("retry", t.id)}>
              Retry
            </button>
          )}
          {(t.status === "queued" || t.status === "processing") && (
            <button type="button" className="button secondary" onClick={() => act("cancel", t.id)}>
              Cancel
            </button>
          )}
          <button type="button" className="button secondary" onClick={() => act("delete", t.id)}>
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}

function Dashboard({ token, onLogout }: { token: string; onLogout: () => void }) {
  const client = useMemo(() => createApiClient({ adminToken: token }), [token]);
  useEffect(() => () => client.close(), [client]);
  const [filters, setFilters] = useState<Filters>({ query: "", status: "", language: "", from: "", to: "" });
  const [tasks, setTasks] = useState<AdminTaskRow[] | null>(null);
  const [queues, setQueues] = useState<QueueInfo[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [rows, q] = await Promise.all([
        client.api.admin.tasks.query({
          ...(filters.query ? { query: filters.query } : {}),
          ...(filters.status ? { status: filters.status } : {}),
          ...(filters.language ? { language: filters.language } : {}),
          ...(filters.from ? { from: filters.from } : {}),
          ...(filters.to ? { to: filters.to } : {}),
        }),
        client.api.admin.queues.query(),
      ]);
      setTasks(rows);
      setQueues(q);
      setError(null);
    } catch (err) {
      const code = (err as { data?: { code?: string } }).data?.code;
      if (code === "UNAUTHORIZED") onLogout();
      setError(message(err));
    }
  }, [client, filters, onLogout]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = (kind: "retry" | "cancel" | "delete", id: string) => {
    if (kind === "delete" && !window.confirm("Delete this task and all its media?")) return;
    void (async () => {
      try {
        if (kind === "retry") await client.api.admin.retry.mutate({ id });
        else if (kind === "cancel") await client.api.admin.cancel.mutate({ id });
        else await client.api.admin.delete.mutate({ id });
        await load();
      } catch (err) {
        setError(message(err));
      }
    })();
  };

  const set = (k: keyof Filters) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setFilters((f) => ({ ...f, [k]: value }));
  };

  return (
    <div className="admin">
      <div className="admin-filters" role="search">
        <label>
          Search (name or id)
          <input id="admin-search" value={filters.query} onChange={set("query")} />
        </label>
        <label>
          Status
          <select id="admin-status" value={filters.status} onChange={set("status")}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Language
          <input id="admin-language" value={filters.language} onChange={set("language")} size={4} />
        </label>
        <label>
          From
          <input id="admin-from" type="date" value={filters.from} onChange={set("from")} />
        </label>
        <label>
          To
          <input id="admin-to" type="date" value={filters.to} onChange={set("to")} />
        </label>
        <button type="button" className="button secondary" onClick={() => void load()}>
          Refresh
        </button>
        <button type="button" className="button secondary" onClick={onLogout}>
          Sign out
        </button>
      </div>
      <Alert message={error} />
      <section aria-labelledby="queues-heading">
        <h2 id="queues-heading">Queues</h2>
        <div className="queue-list" id="admin-queues">
          {queues.map((q) => (
            <div key={q.stage} className="queue-card" data-stage={q.stage}>
              <strong>{q.stage}</strong>
              <div className="muted">
                waiting {(q.counts.waiting ?? 0) + (q.counts.prioritized ?? 0)} · active{" "}
                {q.counts.active ?? 0} · failed {q.counts.failed ?? 0}
              </div>
              <div className="muted">
                {q.workers.length} worker{q.workers.length === 1 ? "" : "s"}
                {q.workers.length > 0 ? `: ${q.workers.map((w) => w.addr).join(", ")}` : ""}
              </div>
            </div>
          ))}
        </div>
      </section>
      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading">Tasks</h2>
        {tasks === null ? (
          <p className="muted">Loading…</p>
        ) : tasks.length === 0 ? (
          <p className="muted">No task matches.</p>
        ) : (
          <div className="admin-table-wrap">
            <table className="admin-table" id="admin-tasks">
              <thead>
                <tr>
                  <th>Task</th>
                  <th>Status</th>
                  <th>Work time</th>
                  <th>Where the time went</th>
                  <th>Errors</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {tasks.map((t) => (
                  <TaskRow key={t.id} t={t} act={act} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** Task history, timings and queue health, behind ADMIN_TOKEN. */
export function AdminView() {
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [token, setToken] = useState<string | null>(null);

  useEffect(() => {
    setToken(readToken());
    const { api, close } = createApiClient();
    api.admin.enabled
      .query()
      .then((r) => setEnabled(r.enabled))
      .catch(() => setEnabled(false))
      .finally(close);
  }, []);

  const logout = useCallback(() => {
    window.sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
  }, []);

  return (
    <div className="admin">
      <h1>Admin</h1>
      {enabled === null ? (
        <p className="muted">Loading…</p>
      ) : !enabled ? (
        <p className="alert" role="alert" id="admin-disabled">
          The admin page is off. To enable it, set <code>ADMIN_TOKEN</code> (16 characters or more) in the web
          server&apos;s environment and restart it.
        </p>
      ) : token ? (
        <Dashboard token={token} onLogout={logout} />
      ) : (
        <Login onToken={setToken} />
      )}
    </div>
  );
}
