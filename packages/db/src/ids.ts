import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 128 random bits, URL-safe: task ids are share links and must not be guessable. */
export const newTaskId = (): string => randomBytes(16).toString("base64url");
export const newOwnerToken = (): string => randomBytes(24).toString("base64url");
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export function tokenMatches(token: string | null | undefined, hash: string | null | undefined): boolean {
  if (!token || !hash) return false;
  const a = Buffer.from(hashToken(token), "hex");
  const b = Buffer.from(hash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

export const TASK_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
