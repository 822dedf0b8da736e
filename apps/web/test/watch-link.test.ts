/** The watch page's verdict on its link (server/watch-link.ts) against a real database. */
import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newTaskId } from "@vitranslator/db";
import { createTestDatabase, createTestTask } from "@vitranslator/db/testing";
import type { TestDatabase } from "@vitranslator/db/testing";
import { markWatchRequest } from "../server/watch-link";
import { WATCH_TASK_HEADER } from "../src/watch-link";

let t: TestDatabase;
let id: string;

beforeAll(async () => {
  t = await createTestDatabase();
  id = await createTestTask(t.db);
});
afterAll(async () => t?.drop());

const verdict = async (pathname: string, sent?: string) => {
  const req = {
    url: pathname,
    headers: sent ? { [WATCH_TASK_HEADER]: sent } : {},
  } as unknown as IncomingMessage;
  await markWatchRequest(req, pathname, t.db);
  return req.headers[WATCH_TASK_HEADER];
};

describe("markWatchRequest", () => {
  it("finds a real task, and calls unknown, malformed and broken links missing", async () => {
    expect(await verdict(`/watch/${id}`)).toBe("found");
    expect(await verdict(`/watch/${newTaskId()}`)).toBe("missing");
    expect(await verdict("/watch/not-a-task")).toBe("missing");
    expect(await verdict("/watch/%E0%A4%A")).toBe("missing");
    // Next cannot decode that escape: the request goes on as a well-formed wrong link.
    const broken = { url: "/watch/x%zz", headers: {} } as unknown as IncomingMessage;
    await markWatchRequest(broken, "/watch/x%zz", t.db);
    expect([broken.url, broken.headers[WATCH_TASK_HEADER]]).toEqual(["/watch/invalid-link", "missing"]);
    expect(await verdict("/watch/")).toBe("missing");
  });

  it("never believes the header from a client, and leaves other pages alone", async () => {
    expect(await verdict(`/watch/${newTaskId()}`, "found")).toBe("missing");
    expect(await verdict("/", "missing")).toBeUndefined();
  });
});
