import { on } from 'node:events';
import { z } from 'zod';
import { router, procedure } from '../trpc.ts';
import type { CoreEventBus, CoreEvents } from '../../core/events.ts';

type Tagged = { [K in keyof CoreEvents]: { type: K } & CoreEvents[K] }[keyof CoreEvents];

/** Yields the bus's events of the given types until the subscriber goes away. */
async function* stream(bus: CoreEventBus, types: ReadonlyArray<keyof CoreEvents>, signal: AbortSignal | undefined): AsyncGenerator<Tagged> {
  for await (const [ev] of on(bus, '*', signal ? { signal } : {})) {
    const e = ev as Tagged;
    if (types.includes(e.type)) yield e;
  }
}

/** Server-sent events: run progress for the window, alerts for the tray, status changes for the dashboard. */
export const eventsRouter = router({
  runs: procedure
    // `job`: a job's id or name, so a client can follow a run it is about to start without looking the job up.
    .input(z.object({ runId: z.string().min(1).optional(), job: z.string().min(1).optional() }).default({}))
    .subscription(async function* ({ ctx, input, signal }) {
      const runIds = new Set<string>(input.runId ? [input.runId] : []);
      // An unknown job has no runs to follow; starting it is what reports the error.
      const jobId = input.job ? ctx.core.catalog.jobs.find(input.job)?.id ?? null : null;
      try {
        for await (const e of stream(ctx.core.events, ['run.started', 'run.progress', 'run.finished', 'set.recorded'], signal)) {
          if (e.type === 'run.started' && jobId && e.jobId === jobId) runIds.add(e.runId);
          if (!input.runId && !input.job) { yield e; continue; }
          if ('runId' in e && runIds.has(e.runId)) yield e;
        }
      } catch (err) {
        if ((err as Error).name !== 'AbortError') throw err;
      }
    }),
  alerts: procedure.subscription(async function* ({ ctx, signal }) {
    try {
      yield* stream(ctx.core.events, ['alert.raised', 'alert.cleared', 'alert.acknowledged'], signal);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err;
    }
  }),
  status: procedure.subscription(async function* ({ ctx, signal }) {
    try {
      yield* stream(ctx.core.events, ['run.started', 'run.finished', 'set.recorded', 'alert.raised', 'alert.cleared', 'alert.acknowledged', 'schedule.slot', 'status.changed'], signal);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err;
    }
  }),
});
