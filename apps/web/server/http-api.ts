/**
 * Every HTTP route outside Next and tRPC, in the order they are tried: CORS (and its
 * preflights), the engines report, the original system's endpoints, the REST API and media.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createCors } from "./cors";
import { createEnginesRoute } from "./engines";
import { createLegacyHandler } from "./legacy-api";
import { createRestHandler } from "./rest";
import type { ServiceDeps } from "./tasks-service";

export function createHttpApi(deps: ServiceDeps, opts: { corsOrigins?: readonly string[] } = {}) {
  const rest = createRestHandler(deps);
  const legacy = createLegacyHandler(deps, rest);
  const engines = createEnginesRoute(deps.engines);
  const cors = createCors(opts.corsOrigins ?? []);
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> =>
    cors(req, res, pathname) ||
    (await engines(req, res, pathname)) ||
    (await legacy(req, res, pathname)) ||
    rest(req, res, pathname);
}
