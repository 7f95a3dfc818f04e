import type { ConfigRecord } from '../core/catalog/config-repo.ts';
import type { JobRecord } from '../core/catalog/jobs-repo.ts';

/** Records as the API shows them: sealed secrets never leave, only whether one is stored. */
export function publicConfig(r: ConfigRecord) {
  return { id: r.id, name: r.name, kind: r.kind, config: r.config, hasSecret: r.secret !== null, createdAt: r.createdAt, updatedAt: r.updatedAt };
}

export function publicJob(j: JobRecord, nextRuns: Date[] = []) {
  const { secret, ...rest } = j;
  return { ...rest, hasPassphrase: secret !== null, nextRuns: nextRuns.map((d) => d.toISOString()) };
}
