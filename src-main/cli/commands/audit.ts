import type { Command } from 'commander';
import { withApi } from '../cli-context.ts';
import { positiveInt, parseTime } from '../options.ts';
import { table } from '../output.ts';
import { ERROR_CODES } from '../../core/errors/codes.ts';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit trail');

  audit.command('verify')
    .description('recompute every hash of the audit trail and check it against the signed checkpoints (exit 3 when broken)')
    .action(async (_o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const v = await api.audit.verify.query();
      out.result(v, () => [
        v.ok ? `audit trail intact: ${v.entries} entries, every hash and link checked` : `audit trail BROKEN: first bad entry ${v.firstBadSeq}`,
        ...v.problems.map((p) => `  entry ${p.seq}: ${p.message}`),
        `  head: entry ${v.lastSeq ?? 0} ${v.headHash}`,
        `  signed checkpoints verified: ${v.checkpoints.verified} of ${v.checkpoints.count}${v.checkpoints.latest ? ` (latest ${v.checkpoints.latest.at}: ${v.checkpoints.latest.entryCount} entries)` : ''}${v.checkpoints.keyId ? `; device key ${v.checkpoints.keyId}` : ''}`,
      ]);
      if (!v.ok) {
        out.warn(`lifeboat: unable to verify audit trail: first bad entry ${v.firstBadSeq}: ${v.problems[0]!.message}`);
        process.exitCode = ERROR_CODES.VERIFY_MISMATCH.exit;
      }
    }));

  audit.command('list')
    .description('list audit entries, newest first')
    .option('--from <time>', 'entries at or after this time')
    .option('--to <time>', 'entries at or before this time')
    .option('--action <action>', 'only this action (e.g. restore.overwrite, esign.sign)')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const events = await api.audit.list.query({
        ...(o.action ? { action: o.action } : {}), limit: positiveInt(o.limit, '--limit'),
        ...(o.from ? { from: parseTime(o.from, '--from').toISOString() } : {}), ...(o.to ? { to: parseTime(o.to, '--to').toISOString() } : {}),
      });
      out.result(events, () => table(['#', 'time (UTC)', 'user', 'role', 'action', 'object', 'outcome', 'reason'],
        events.map((e) => [String(e.seq), e.at, e.actor, e.role ?? '', e.action, e.object ?? '', e.outcome, e.reason ?? ''])));
    }));

  audit.command('checkpoint')
    .description('sign the audit trail\'s head and length now with this device\'s key')
    .action(async (_o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const c = await api.audit.checkpoint.mutate();
      out.result(c, () => [`checkpoint ${c.id}: ${c.entryCount} entries up to entry ${c.headSeq}`, `  head ${c.headHash}`, `  key ${c.keyId} signature ${c.signature}`]);
    }));
}
