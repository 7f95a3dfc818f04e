import { initTRPC } from '@trpc/server';
import { coreFor, type ApiContext } from './api-context.ts';
import { envelopeOf } from './error-envelope.ts';

/**
 * The one tRPC instance. Errors leave as the envelope {code, message, retryable} (in `data`), whatever was
 * thrown; the HTTP server turns `data.httpStatus` into the response status.
 */
const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error, path }) {
    const env = envelopeOf(error, path);
    return { message: env.message, code: shape.code, data: { ...env, path: path ?? null } };
  },
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 40_000 },
  },
});

export const router = t.router;
/**
 * Every procedure acts on the core as its caller: audit entries written by core functions name whoever made
 * the request, never the agent's own 'scheduler', without each procedure having to remember it.
 */
export const procedure = t.procedure.use(({ ctx, next }) => next({ ctx: { ...ctx, core: coreFor(ctx) } }));
export const createCallerFactory = t.createCallerFactory;
