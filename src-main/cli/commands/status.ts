import type { Command } from 'commander';
import { withApi } from '../cli-context.ts';
import { table } from '../output.ts';

const day = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').slice(0, 16) : '-');

/** `lifeboat status`: every protected database, its last run, and its copies counted by the 3-2-1-1-0 rule. */
export function registerStatusCommand(program: Command): void {
  program.command('status').description('every protected database: status, last run, and its copies by the 3-2-1-1-0 rule (copies, media, off site, offline, errors)')
    .option('--database <db>', 'only this database')
    .action(async (o: { database?: string }, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const board = await api.status.dashboard.query();
      const rows = board.databases.filter((r) => !o.database || r.database === o.database);
      out.result(o.database ? rows : board, () => {
        if (rows.length === 0) return o.database ? `no protected database is named '${o.database}'` : 'nothing is protected yet: add a source, a target and a job';
        const lines = table(
          ['DATABASE', 'STATUS', 'LAST RUN (UTC)', 'COPIES', 'MEDIA', 'OFF SITE', 'OFFLINE', 'ERRORS', 'LAST VERIFIED (UTC)', '3-2-1-1-0'],
          rows.map((r) => [
            `${r.server}/${r.database}`, r.status, r.lastRun ? `${r.lastRun.status} ${day(r.lastRun.finishedAt ?? r.lastRun.startedAt)}` : 'never',
            String(r.rule.copies), String(r.rule.media.length),
            r.rule.offsite[0] ? `yes, ${day(r.rule.offsite[0].finishedAt)}` : 'none', r.rule.offline[0] ? `yes, ${day(r.rule.offline[0].finishedAt)}` : 'none',
            String(r.rule.errors.length), r.rule.lastVerification ? `${r.rule.lastVerification.result} ${day(r.rule.lastVerification.at)}` : 'never',
            r.rule.met.all ? 'met' : `${r.rule.missing.length} missing`,
          ]),
        );
        for (const r of rows) {
          if (r.reason) lines.push('', `${r.server}/${r.database}: ${r.reason}`);
          if (r.rule.missing.length) lines.push('', `${r.server}/${r.database}, 3-2-1-1-0 not met:`, ...r.rule.missing.map((m) => `  - ${m}`));
          for (const e of r.rule.errors) lines.push(`  ! ${e}`);
        }
        return lines;
      });
    }));
}
