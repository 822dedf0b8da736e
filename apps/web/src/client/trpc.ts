import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from "@trpc/client";
import type { AppRouter } from "@vitranslator/api/types";

export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/** Same origin as the page: the custom server serves pages, HTTP tRPC and the WebSocket. */
function webSocketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}/api/trpc-ws`;
}

/** The server answers a larger HTTP batch with 400 (its maxBatchSize). */
const MAX_BATCH = 10;

/**
 * Browser only. Returns the client and a `close` for the WebSocket; the socket opens
 * lazily on the first subscription and reconnects on its own (wsLink then resubscribes
 * with the last tracked event id, so no event is missed). Secrets travel as headers,
 * never in the URL (a query's input is part of its URL).
 */
export function createApiClient(opts: { adminToken?: string; ownerToken?: string } = {}): {
  api: ApiClient;
  close: () => void;
} {
  const wsClient = createWSClient({ url: webSocketUrl(), lazy: { enabled: true, closeMs: 10_000 } });
  const api = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({
          url: "/api/trpc",
          maxItems: MAX_BATCH,
          headers: () => ({
            ...(opts.adminToken ? { "x-admin-token": opts.adminToken } : {}),
            ...(opts.ownerToken ? { "x-owner-token": opts.ownerToken } : {}),
          }),
        }),
      }),
    ],
  });
  return { api, close: () => void wsClient.close() };
}
