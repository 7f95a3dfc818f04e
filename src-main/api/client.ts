import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from './router.ts';
import { FetchEventSource } from './fetch-event-source.ts';

export type ApiClient = TRPCClient<AppRouter>;

/**
 * A typed client of the agent's API over HTTP (CLI, desktop shell, renderer). Queries and mutations are
 * plain HTTP; subscriptions are server-sent events; the token goes in a header on both. This file imports
 * only types from the server side, so the renderer can bundle it.
 */
export function createApiClient(opts: { url: string; token: string; fetch?: typeof fetch; client?: 'cli' | 'shell' }): ApiClient {
  // The client kind labels the audit actor; the account behind it the agent learns from the kernel.
  const headers = { authorization: `Bearer ${opts.token}`, ...(opts.client ? { 'x-lifeboat-client': opts.client } : {}) };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: opts.url, EventSource: FetchEventSource as unknown as typeof EventSource, eventSourceOptions: () => ({ headers }) as EventSourceInit }),
        false: httpLink({ url: opts.url, headers, ...(opts.fetch ? { fetch: opts.fetch } : {}) }),
      }),
    ],
  });
}
