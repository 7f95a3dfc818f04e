import type { Command } from 'commander';
import { withCore } from '../cli-context.ts';
import { table, formatBytes } from '../output.ts';

export function registerSetsCommands(program: Command): void {
  const sets = program.command('sets').description('backup sets in the catalog');
  sets.command('list').description('list complete backup sets (only sets with a MANIFEST.json are ever listed)')
    .option('--database <db>', 'only this database')
    .option('--job <job>', 'only sets of this job')
    .option('--target <target>', 'only sets with a copy on this target')
    .action(async (o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      const jobId = o.job ? core.catalog.jobs.get(o.job).id : undefined;
      const targetId = o.target ? core.catalog.targets.get(o.target).id : undefined;
      const list = core.catalog.sets.list({ ...(o.database ? { database: o.database } : {}), ...(jobId ? { jobId } : {}), ...(targetId ? { targetId } : {}) });
      const targetName = (id: string) => core.catalog.targets.find(id)?.name ?? id;
      const rows = list.map((s) => {
        const l1 = s.copies.filter((c) => c.status === 'present').map((c) => core.catalog.verifications.latest(s.id, c.id, 1));
        const verified = l1.length && l1.every((v) => v?.result === 'passed') ? 'passed' : l1.some((v) => v?.result === 'failed') ? 'FAILED' : 'not yet';
        return {
          id: s.id, server: s.server, database: s.database, type: s.type, startedAt: s.startedAt, finishedAt: s.finishedAt, bytes: s.bytes,
          encryption: s.encryption, tags: s.tags, manifestSha256: s.manifestSha256,
          artifacts: s.artifacts.map((a) => ({ name: a.name, bytes: a.bytes, sha256: a.sha256 })),
          copies: s.copies.filter((c) => c.status === 'present').map((c) => targetName(c.targetId)), verified,
        };
      });
      out.result(rows, () => rows.length
        ? table(['SET', 'DATABASE', 'TYPE', 'FINISHED (UTC)', 'SIZE', 'COPIES', 'VERIFIED'], rows.map((r) => [r.id, `${r.server}/${r.database}`, r.type + (r.tags.length ? ` (${r.tags.join(',')})` : ''), r.finishedAt.replace('T', ' ').slice(0, 19), formatBytes(r.bytes), r.copies.join(',') || '-', r.verified]))
        : 'no complete sets');
    }));
}
