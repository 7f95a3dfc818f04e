import { router } from './trpc.ts';
import { statusRouter, scheduleRouter } from './routers/status-router.ts';
import { sourcesRouter } from './routers/sources-router.ts';
import { targetsRouter } from './routers/targets-router.ts';
import { jobsRouter } from './routers/jobs-router.ts';
import { runsRouter, setsRouter } from './routers/history-router.ts';
import { recoveryRouter } from './routers/recovery-router.ts';
import { alertsRouter } from './routers/alerts-router.ts';
import { settingsRouter, objectivesRouter } from './routers/settings-router.ts';
import { eventsRouter } from './routers/events-router.ts';
import { uiRouter } from './ui-procedures.ts';

/**
 * The one API (DESIGN §2): the desktop window, the tray and the CLI all speak it. Clients import only
 * the type `AppRouter`.
 */
export const appRouter = router({
  status: statusRouter,
  sources: sourcesRouter,
  targets: targetsRouter,
  jobs: jobsRouter,
  runs: runsRouter,
  sets: setsRouter,
  recovery: recoveryRouter,
  alerts: alertsRouter,
  settings: settingsRouter,
  objectives: objectivesRouter,
  schedule: scheduleRouter,
  events: eventsRouter,
  ui: uiRouter,
});

export type AppRouter = typeof appRouter;
