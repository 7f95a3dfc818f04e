import type { CoreContext } from '../context.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { parseExpectation } from './probe-expectation.ts';

/** A user-defined probe: a query whose single value must meet an expectation in the restored copy. */
export interface ProbeQuery {
  name: string;
  sql: string;
  expect: string;
}

const KEY = 'drills.probes';

/** Probes kept per database (settings `drills.probes`, keyed "<server>/<database>"), used by every drill of it. */
export function storedProbes(ctx: CoreContext, server: string, database: string): ProbeQuery[] {
  const all = readAll(ctx);
  return all[`${server}/${database}`] ?? [];
}

export function saveProbes(ctx: CoreContext, server: string, database: string, probes: ProbeQuery[]): void {
  for (const p of probes) validateProbe(p);
  const all = readAll(ctx);
  if (probes.length) all[`${server}/${database}`] = probes;
  else delete all[`${server}/${database}`];
  ctx.catalog.setSetting(KEY, JSON.stringify(all));
}

/** Adds (or replaces, by name) a probe of a database; `source` is the source's name or id. Returns the database's probes. */
export function putProbe(ctx: CoreContext, source: string, database: string, probe: ProbeQuery): { server: string; probes: ProbeQuery[] } {
  const server = ctx.catalog.sources.get(source).name;
  const probes = [...storedProbes(ctx, server, database).filter((p) => p.name !== probe.name), probe];
  saveProbes(ctx, server, database, probes);
  return { server, probes };
}

/** Removes a probe of a database by name; NOT_FOUND when there is none of that name. */
export function removeProbe(ctx: CoreContext, source: string, database: string, name: string): void {
  const server = ctx.catalog.sources.get(source).name;
  const before = storedProbes(ctx, server, database);
  if (!before.some((p) => p.name === name)) throw new LifeboatError('NOT_FOUND', { verb: 'remove', thing: 'probe', where: name, cause: `no probe of that name for ${server}/${database}` });
  saveProbes(ctx, server, database, before.filter((p) => p.name !== name));
}

export function validateProbe(p: ProbeQuery): void {
  if (!p.sql.trim()) throw new LifeboatError('USAGE', { verb: 'read', thing: 'probe', where: p.name, cause: 'the query is empty' });
  parseExpectation(p.expect);
}

function readAll(ctx: CoreContext): Record<string, ProbeQuery[]> {
  const raw = ctx.catalog.getSetting(KEY);
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Record<string, ProbeQuery[]>;
  } catch {
    throw new LifeboatError('CONFIG_INVALID', { verb: 'read', thing: 'setting', where: KEY, cause: 'it is not valid JSON' });
  }
}
