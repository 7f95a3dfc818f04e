import type { Command } from 'commander';
import { withApi } from '../cli-context.ts';
import { positiveInt } from '../options.ts';
import { table } from '../output.ts';

export function registerRunsCommands(program: Command): void {
  const runs = program.command('runs').description('history of backup, verify and restore runs');
  runs.command('list').description('recent runs, newest first')
    .option('--job <job>', 'only this job')
    .option('--limit <n>', 'how many', '30')
    .action(async (o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const list = await api.runs.list.query({ ...(o.job ? { job: o.job } : {}), limit: positiveInt(o.limit, '--limit') });
      out.result(list, () => list.length ? table(['RUN', 'KIND', 'DATABASE', 'TRIGGER', 'STATUS', 'STARTED (UTC)', 'ERROR'],
        list.map((r) => [r.id, r.kind, r.databaseName ?? '-', r.trigger, r.status, r.startedAt.replace('T', ' ').slice(0, 19), r.errorMessage ?? ''])) : 'no runs yet');
    }));
  runs.command('show <id>').description('one run with its phases').action(async (id: string, _o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
    const r = await api.runs.get.query({ runId: id });
    out.result(r, () => [
      `${r.id}: ${r.kind} ${r.databaseName ?? ''} — ${r.status}${r.errorMessage ? ` — ${r.errorMessage}` : ''}`,
      ...table(['PHASE', 'STATUS', 'STARTED', 'FINISHED', 'BYTES', 'ERROR'], r.phases.map((p) => [p.phase, p.status, p.startedAt, p.finishedAt ?? '', String(p.bytes), p.errorMessage ?? ''])),
    ]);
  }));
}
