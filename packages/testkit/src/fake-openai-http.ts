/** HTTP plumbing of the fake OpenAI server: OpenAI-shaped errors and small helpers. */
import type http from "node:http";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = "invalid_request_error",
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

export function failure(status: number): HttpError {
  if (status === 401)
    return new HttpError(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
  if (status === 429)
    return new HttpError(429, "Rate limit reached for requests.", "requests", "rate_limit_exceeded");
  if (status >= 500) {
    return new HttpError(
      status,
      "The server had an error while processing your request. Sorry about that!",
      "server_error",
    );
  }
  return new HttpError(status, `Simulated failure (HTTP ${status}).`);
}

export function modelObject(id: string): object {
  return { id, object: "model", created: 1_700_000_000, owned_by: "vitranslator-fake" };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: http.ServerResponse, type: string, text: string): void {
  res.writeHead(200, { "content-type": `${type}; charset=utf-8`, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: http.ServerResponse, err: HttpError): void {
  sendJson(res, err.status, {
    error: { message: err.message, type: err.type, param: err.param, code: err.code },
  });
}

export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

/** Small seeded PRNG so brokenJsonRate runs are reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
