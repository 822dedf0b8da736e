/**
 * The REST calls the harnesses make against a started stack: upload a task
 * (POST /api/tasks), read its status, wait for the end, fetch the final MP4.
 */
import { openAsBlob } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";

export interface UploadedTask {
  id: string;
  ownerToken: string;
  watchUrl: string;
  playlistUrl: string;
  /** Epoch ms when the POST's response arrived: "the upload has ended". */
  uploadedAt: number;
  /** How long the POST took. */
  uploadMs: number;
}

export interface TaskStatus {
  id: string;
  status: "queued" | "processing" | "completed" | "failed" | "cancelled";
  progress: number;
  segments: { total: number; published: number };
  error?: { code: string; message: string };
}

export async function uploadTask(
  baseUrl: string,
  opts: { video: string; subtitles?: string; targetLanguage?: string },
): Promise<UploadedTask> {
  const form = new FormData();
  form.set("targetLanguage", opts.targetLanguage ?? "fr");
  if (opts.subtitles) form.set("subtitles", await openAsBlob(opts.subtitles), "subs.srt");
  form.set("video", await openAsBlob(opts.video), path.basename(opts.video));
  const t0 = Date.now();
  const res = await fetch(`${baseUrl}/api/tasks`, { method: "POST", body: form });
  const uploadedAt = Date.now();
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as Omit<UploadedTask, "uploadedAt" | "uploadMs">;
  return { ...body, uploadedAt, uploadMs: uploadedAt - t0 };
}

export async function taskStatus(baseUrl: string, id: string): Promise<TaskStatus> {
  const res = await fetch(`${baseUrl}/api/tasks/${id}`);
  if (!res.ok) throw new Error(`GET /api/tasks/${id}: ${res.status} ${await res.text()}`);
  return (await res.json()) as TaskStatus;
}

const FINAL = new Set(["completed", "failed", "cancelled"]);

/** Polls the status until the task is completed, failed or cancelled, or `timeoutMs` passes. */
export async function waitForTask(
  baseUrl: string,
  id: string,
  opts: { timeoutMs: number; pollMs?: number },
): Promise<TaskStatus> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const s = await taskStatus(baseUrl, id);
    if (FINAL.has(s.status)) return s;
    if (Date.now() > deadline) throw new Error(`task ${id} still ${s.status} after ${opts.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
}

/** Saves the final dubbed MP4 (GET /api/tasks/<id>/download) to `file`. */
export async function downloadMp4(baseUrl: string, id: string, file: string): Promise<void> {
  const res = await fetch(`${baseUrl}/api/tasks/${id}/download`);
  if (!res.ok) throw new Error(`download of ${id} failed: ${res.status} ${await res.text()}`);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
}
