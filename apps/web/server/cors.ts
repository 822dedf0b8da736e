/**
 * CORS for clients on another origin (the original system's web client, scripts in a
 * browser): the REST API, the original endpoints and the media files. Only origins in
 * CORS_ORIGINS (or any with "*") get the headers; no credentials are involved (owner and
 * admin secrets travel in headers a page must set itself).
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Paths a separate-origin client may call: not the pages, not tRPC. */
const CORS_PATHS =
  /^\/(api\/(tasks|engines|languages|limits)(\/|$)|media\/|upload$|task\/|playlists\/|segments\/|download\/)/;

const ALLOWED_HEADERS = "content-type, x-owner-token, range";
const EXPOSED_HEADERS = "content-length, content-range, content-disposition, retry-after";

/** Returns true when it answered the request itself (a preflight). */
export function createCors(origins: readonly string[]) {
  const any = origins.includes("*");
  const allowed = new Set(origins.map((o) => o.replace(/\/+$/, "").toLowerCase()));
  return (req: IncomingMessage, res: ServerResponse, pathname: string): boolean => {
    const origin = req.headers.origin;
    if (!origin || !CORS_PATHS.test(pathname)) return false;
    const ok = any || allowed.has(origin.toLowerCase());
    if (ok) {
      res.setHeader("access-control-allow-origin", any ? "*" : origin);
      res.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
    }
    res.setHeader("vary", "Origin");
    if (req.method !== "OPTIONS" || !req.headers["access-control-request-method"]) return false;
    // A preflight: answered here; without the allow headers the browser refuses the request.
    res.writeHead(
      204,
      ok
        ? {
            "access-control-allow-methods": "GET, HEAD, POST, OPTIONS",
            "access-control-allow-headers": ALLOWED_HEADERS,
            "access-control-max-age": "600",
          }
        : {},
    );
    res.end();
    return true;
  };
}
