import { router } from './trpc.ts';
import { statusRouter, scheduleRouter } from './routers/status-router.ts';
import { sourcesRouter } from './routers/sources-router.ts';
import { targetsRouter } from './routers/targets-router.ts';
import { jobsRouter } from './routers/jobs-router.ts';
import { runsRouter, setsRouter } from './routers/history-router.ts';
import { recoveryRouter, catalogRouter } from './routers/recovery-router.ts';
import { drillsRouter } from './routers/drills-router.ts';
import { usersRouter, auditRouter } from './routers/users-router.ts';
import { reportsRouter } from './routers/reports-router.ts';
import { mediaRouter, retentionRouter } from './routers/media-router.ts';
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
  catalog: catalogRouter,
  drills: drillsRouter,
  users: usersRouter,
  audit: auditRouter,
  reports: reportsRouter,
  media: mediaRouter,
  retention: retentionRouter,
  alerts: alertsRouter,
  settings: settingsRouter,
  objectives: objectivesRouter,
  schedule: scheduleRouter,
  events: eventsRouter,
  ui: uiRouter,
});

export type AppRouter = typeof appRouter;
