import type { CoreContext } from '../context.ts';
import type { SetRecord } from '../catalog/sets-repo.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

export interface SetSummary {
  id: string;
  server: string;
  database: string;
  type: string;
  startedAt: string;
  finishedAt: string;
  bytes: number;
  encryption: SetRecord['encryption'];
  tags: string[];
  manifestSha256: string;
  artifacts: { name: string; bytes: number; sha256: string }[];
  /** Names of the targets holding a present copy. */
  copies: string[];
  /** From the latest level-1 (SHA-256) verification of every present copy. */
  verified: 'passed' | 'FAILED' | 'not yet';
}

/** Complete sets as `lifeboat sets list` shows them: where the copies are and whether they verified. */
export function setSummaries(ctx: CoreContext, filter: { database?: string; job?: string; target?: string } = {}): SetSummary[] {
  const jobId = filter.job ? ctx.catalog.jobs.get(filter.job).id : undefined;
  const targetId = filter.target ? ctx.catalog.targets.get(filter.target).id : undefined;
  const list = ctx.catalog.sets.list({ ...(filter.database ? { database: filter.database } : {}), ...(jobId ? { jobId } : {}), ...(targetId ? { targetId } : {}) });
  const targetName = (id: string) => ctx.catalog.targets.find(id)?.name ?? id;
  return list.map((s) => {
    const l1 = s.copies.filter((c) => c.status === 'present').map((c) => ctx.catalog.verifications.latest(s.id, c.id, 1));
    const verified = l1.length && l1.every((v) => v?.result === 'passed') ? 'passed' : l1.some((v) => v?.result === 'failed') ? 'FAILED' : 'not yet';
    return {
      id: s.id, server: s.server, database: s.database, type: s.type, startedAt: s.startedAt, finishedAt: s.finishedAt, bytes: s.bytes,
      encryption: s.encryption, tags: s.tags, manifestSha256: s.manifestSha256,
      artifacts: s.artifacts.map((a) => ({ name: a.name, bytes: a.bytes, sha256: a.sha256 })),
      copies: s.copies.filter((c) => c.status === 'present').map((c) => targetName(c.targetId)), verified,
    };
  });
}

/** The sets a verify names: the ids given (each must exist), or every set (of one database). */
export function selectSets(ctx: CoreContext, sel: { setIds?: string[]; all?: boolean; database?: string }): string[] {
  const ids = sel.setIds ?? [];
  const setIds = ids.length ? ids : sel.all || sel.database ? ctx.catalog.sets.list(sel.database ? { database: sel.database } : {}).map((s) => s.id) : [];
  if (setIds.length === 0) throw new LifeboatError('USAGE', { verb: 'verify', thing: 'sets', cause: ids.length || sel.all || sel.database ? 'no set matched' : 'name set ids, --database or --all' });
  for (const id of setIds) ctx.catalog.sets.get(id);
  return setIds;
}
