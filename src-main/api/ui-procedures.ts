import fs from 'node:fs';
import { z } from 'zod';
import { router, procedure } from './trpc.ts';
import type { ApiContext } from './api-context.ts';
import type { SetRecord } from '../core/catalog/sets-repo.ts';
import { openEngine } from '../core/open-drivers.ts';
import { integrityGate } from '../core/restore/integrity-gate.ts';
import { causeOf, isLifeboatError, LifeboatError } from '../core/errors/lifeboat-error.ts';
import type { CopyVerification } from '../core/verify/verify-set.ts';
import { restoreSet } from '../core/restore/restore-set.ts';
import { requireSignature, restoreObject, signAction } from '../core/audit/esign.ts';
import { registerSecret } from '../core/util/redact.ts';
import { parseSchedule, systemTimezone } from '../core/scheduler/schedule-spec.ts';

/**
 * What the desktop window needs beyond the CLI's verbs (issue 6): the restore wizard's chain preview and
 * pre-flight, and the restore history. Pre-flight changes nothing but the verification records.
 */

const point = z.object({
  database: z.string().min(1),
  server: z.string().min(1).optional(),
  setId: z.string().min(1).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

export interface PlanView {
  database: string;
  server: string;
  sets: { id: string; type: string; finishedAt: string; bytes: number; artifacts: string[]; copies: number }[];
  gap: string | null;
  stopAt: string | null;
}

function restorable(ctx: ApiContext, database: string, server?: string): SetRecord[] {
  return ctx.core.catalog.sets.list({ database, ...(server ? { server } : {}) }).filter((s) => s.copies.some((c) => c.status === 'present'));
}

/** The sets a restore to the chosen point will read, in order, or the gap that stops it. */
export function planView(ctx: ApiContext, input: z.infer<typeof point>): PlanView {
  const sets = restorable(ctx, input.database, input.server);
  if (sets.length === 0) throw new LifeboatError('NOT_FOUND', { verb: 'plan', thing: 'restore of', where: input.database, cause: 'the catalog has no complete set of it', hint: 'run a backup of this database first' });
  const server = input.server ?? sets[sets.length - 1]!.server;
  const chosen = input.setId ? ctx.core.catalog.sets.get(input.setId) : undefined;
  const at = input.at ? new Date(input.at) : chosen ? new Date(chosen.finishedAt) : undefined;
  const source = ctx.core.catalog.sources.find(server);
  const byId = new Map(sets.map((s) => [s.id, s]));
  let ids: string[];
  let gap: string | null = null;
  let stopAt: string | null = null;
  if (chosen && (chosen.type === 'full' || chosen.type === 'copy-only')) {
    ids = [chosen.id];
  } else if (!source) {
    throw new LifeboatError('NOT_FOUND', { verb: 'plan', thing: 'restore of', where: input.database, cause: `no source named '${server}' is configured`, hint: 'add the server on the Sources page' });
  } else {
    const engine = openEngine(ctx.core, source);
    const plan = engine.planRestore(sets.filter((s) => s.server === server).map((s) => ({ id: s.id, type: s.type, startedAt: s.startedAt, finishedAt: s.finishedAt, chain: s.chain, parentSetId: s.parentSetId })), at);
    void engine.close().catch(() => undefined);
    ids = plan.sets;
    gap = plan.gap;
    stopAt = plan.stopAt ? plan.stopAt.toISOString() : null;
  }
  return {
    database: input.database, server, gap, stopAt,
    sets: ids.map((id) => byId.get(id) ?? ctx.core.catalog.sets.get(id)).map((s) => ({
      id: s.id, type: s.type, finishedAt: s.finishedAt, bytes: s.bytes, artifacts: s.artifacts.map((a) => a.name), copies: s.copies.filter((c) => c.status === 'present').length,
    })),
  };
}

export interface PreflightCheck {
  name: 'chain' | 'connectivity' | 'versions' | 'destination' | 'space' | 'integrity';
  ok: boolean;
  detail: string;
  /** What to do when the check failed. */
  nextStep: string | null;
}

export interface PreflightFile { setId: string; target: string; file: string; ok: boolean; problem: string | null }

function filesOf(setId: string, copies: CopyVerification[]): PreflightFile[] {
  return copies.flatMap((c) => c.artifacts.length
    ? c.artifacts.map((a) => ({ setId, target: c.targetName, file: a.name, ok: a.ok, problem: a.problem }))
    : [{ setId, target: c.targetName, file: '(all files)', ok: c.ok, problem: c.problem }]);
}

function major(version: string | null | undefined): number | null {
  const m = version?.match(/(\d+)/);
  return m ? Number(m[1]) : null;
}

export const uiRouter = router({
  restorePlan: procedure.input(point).query(({ ctx, input }) => planView(ctx, input)),

  /**
   * Every check a restore would fail on, run before anything is written: the chain, the destination server
   * (reachable, not older than the backup, name free), free space for the work files, and the SHA-256 of
   * every file on the copy the restore would read (the restore's own integrity gate).
   */
  preflight: procedure
    .input(point.extend({ sourceName: z.string().min(1).optional(), as: z.string().min(1).max(63).optional(), overwrite: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => {
      const checks: PreflightCheck[] = [];
      const files: PreflightFile[] = [];
      const plan = planView(ctx, input);
      checks.push(plan.gap || plan.sets.length === 0
        ? { name: 'chain', ok: false, detail: plan.gap ?? 'no set reaches that point', nextStep: 'choose a later point or another set; the chain shown has a gap' }
        : { name: 'chain', ok: true, detail: `${plan.sets.length} set(s): ${plan.sets.map((s) => s.type).join(' → ')}`, nextStep: null });
      const sets = plan.sets.map((s) => ctx.core.catalog.sets.get(s.id));
      const destName = input.sourceName ?? plan.server;
      const dest = ctx.core.catalog.sources.find(destName);
      if (!dest) {
        checks.push({ name: 'connectivity', ok: false, detail: `no source named '${destName}' is configured`, nextStep: 'add the destination server on the Sources page' });
      } else {
        const engine = openEngine(ctx.core, dest);
        try {
          const probe = await engine.probe();
          checks.push({ name: 'connectivity', ok: true, detail: `${destName} answered: ${probe.serverVersion}`, nextStep: null });
          const need = Math.max(0, ...sets.map((s) => major(s.serverVersion) ?? 0));
          checks.push(probe.versionMajor >= need
            ? { name: 'versions', ok: true, detail: `server ${probe.versionMajor} can read a backup of version ${need || 'unknown'}`, nextStep: null }
            : { name: 'versions', ok: false, detail: `server ${probe.versionMajor} is older than the backup's server (${need})`, nextStep: 'restore to a server of the same or a newer major version' });
          const target = input.overwrite ? plan.database : input.as;
          if (target && !input.overwrite) {
            const exists = await engine.databaseExists(target);
            checks.push(exists
              ? { name: 'destination', ok: false, detail: `a database named '${target}' already exists on ${destName}`, nextStep: 'choose another name, or restore over the original (a safety backup is taken first)' }
              : { name: 'destination', ok: true, detail: `'${target}' is free on ${destName}`, nextStep: null });
          } else if (input.overwrite) {
            checks.push({ name: 'destination', ok: true, detail: `'${plan.database}' will be replaced after a safety backup`, nextStep: null });
          }
        } catch (err) {
          checks.push({ name: 'connectivity', ok: false, detail: causeOf(err), nextStep: isLifeboatError(err) && err.hint ? err.hint : 'check that the server is running and the stored login works (Sources → Test)' });
        } finally {
          await engine.close().catch(() => undefined);
        }
      }
      const needBytes = sets.reduce((n, s) => n + s.artifacts.reduce((m, a) => m + a.bytes, 0), 0);
      try {
        fs.mkdirSync(ctx.core.home.work, { recursive: true });
        const st = fs.statfsSync(ctx.core.home.work);
        const free = st.bavail * st.bsize;
        checks.push(free > needBytes * 2
          ? { name: 'space', ok: true, detail: `${free} bytes free for work files, the sets hold ${needBytes}`, nextStep: null }
          : { name: 'space', ok: false, detail: `only ${free} bytes free in ${ctx.core.home.work}; the sets hold ${needBytes}`, nextStep: 'free space on the Lifeboat data disk' });
      } catch (err) {
        checks.push({ name: 'space', ok: false, detail: causeOf(err), nextStep: 'check that the Lifeboat data folder is writable' });
      }
      const problems: string[] = [];
      for (const s of sets) {
        try {
          const g = await integrityGate(ctx.core, s, { triggeredBy: `preflight:${ctx.actor}`, runId: null });
          files.push(...filesOf(s.id, g.checked));
        } catch (err) {
          const checked = (isLifeboatError(err) ? (err.details?.checked as CopyVerification[] | undefined) : undefined) ?? [];
          files.push(...filesOf(s.id, checked));
          problems.push(causeOf(err));
        }
      }
      const bad = files.filter((f) => !f.ok);
      checks.push(problems.length === 0
        ? { name: 'integrity', ok: true, detail: `${files.length} file(s) match their SHA-256`, nextStep: null }
        : {
          name: 'integrity', ok: false,
          detail: bad.length ? bad.map((f) => `${f.file} on '${f.target}': ${f.problem}`).join('; ') : problems.join('; '),
          nextStep: 'do not restore from this copy: restore from another target or an earlier set, and run "Verify now" on the Backups page',
        });
      return { ok: checks.every((c) => c.ok), plan, checks, files };
    }),

  /**
   * The next runs of a schedule while the operator types it. An invalid text is an answer here, not an
   * error: half-typed patterns are normal in a form and must not fill the browser's console with failures.
   */
  schedulePreview: procedure
    .input(z.object({ schedule: z.string().min(1), count: z.number().int().min(1).max(20).default(3) }))
    .query(({ ctx, input }) => {
      const tz = ctx.core.catalog.getSetting('timezone') ?? systemTimezone();
      try {
        const s = parseSchedule(input.schedule, tz);
        return { ok: true as const, cron: s.cron, timezone: tz, next: s.next(ctx.services.clock.now(), input.count).map((d) => d.toISOString()) };
      } catch (err) {
        return { ok: false as const, message: causeOf(err), nextStep: (isLifeboatError(err) && err.hint) || 'write five fields: minute hour day-of-month month day-of-week, e.g. "30 2 * * *" for 02:30 every day' };
      }
    }),

  /** Whether a restore needs an electronic signature (users are set up) or a typed confirmation (no users yet). */
  restoreConfirmation: procedure.query(({ ctx }) => ({ signature: ctx.core.catalog.users.count() > 0 })),

  /**
   * The wizard's restore. With users set up, the operator re-enters their password: the restore is signed
   * (Part 11: meaning "performed", a reason, bound to its audit entry) and the signature is consumed before
   * anything is written. Without users, the destination name typed by the operator must match.
   */
  confirmedRestore: procedure
    .input(point.extend({
      sourceName: z.string().min(1).optional(), as: z.string().min(1).max(63).optional(), overwrite: z.boolean().optional(),
      confirmName: z.string().min(1),
      signature: z.object({ user: z.string().min(1), password: z.string().min(1), reason: z.string().trim().min(3) }).optional(),
    }))
    .mutation(async ({ ctx, input }) => {
      registerSecret(input.signature?.password);
      const plan = planView(ctx, input);
      const destination = input.overwrite ? plan.database : input.as;
      if (!destination || input.confirmName !== destination) {
        throw new LifeboatError('CONFIRMATION_REQUIRED', { verb: 'restore', thing: 'database', where: plan.database, cause: `the confirmation '${input.confirmName}' does not match the destination '${destination ?? '(none)'}'`, hint: 'type the destination database name exactly' });
      }
      let requestedBy = ctx.actor;
      if (ctx.core.catalog.users.count() > 0) {
        if (!input.signature) throw new LifeboatError('SIGNATURE_REQUIRED', { verb: 'restore', thing: 'database', where: plan.database, cause: 'a restore is signed with your user name and password', hint: 'enter your user name, password and the reason for the restore' });
        const action = input.overwrite ? 'restore.overwrite' : 'restore.start';
        const object = restoreObject(input.sourceName ?? plan.server, destination);
        const id = await signAction(ctx.core, { user: input.signature.user, password: input.signature.password, meaning: 'performed', action, object, reason: input.signature.reason });
        requireSignature(ctx.core, id, action, object, { usedFor: `restore of ${plan.database}` });
        requestedBy = input.signature.user;
      }
      return restoreSet(ctx.core, {
        ...(input.setId ? { setId: input.setId } : { database: input.database }), ...(input.at ? { at: new Date(input.at) } : {}),
        ...(input.sourceName ? { sourceName: input.sourceName } : {}), ...(input.overwrite ? { overwrite: true, confirm: true } : { as: destination }),
        requestedBy,
      });
    }),

  /** The restore history: what was restored where, by whom, how long it took, and what the checks said. */
  restores: procedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => ctx.core.catalog.restores.list(input.limit).map((r) => {
      const set = r.setId ? ctx.core.catalog.sets.find(r.setId) : undefined;
      return { ...r, database: set?.database ?? null, server: set?.server ?? null };
    })),
});
