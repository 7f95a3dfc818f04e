import { createTRPCClient, unstable_localLink } from '@trpc/client';
import type { ApiClient } from './client.ts';
import type { ApiContext } from './api-context.ts';
import { appRouter, type AppRouter } from './router.ts';

/**
 * The same typed client over a core opened in this process (the CLI when no agent runs): procedures,
 * validation and errors are exactly those the agent serves.
 */
export function createInProcessClient(createContext: () => ApiContext): ApiClient {
  return createTRPCClient<AppRouter>({
    links: [unstable_localLink({ router: appRouter, createContext: async () => createContext() })],
  });
}
