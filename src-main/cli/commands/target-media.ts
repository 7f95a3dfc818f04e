import type { Command } from 'commander';
import { withApi } from '../cli-context.ts';
import { table, formatBytes } from '../output.ts';

/** Verbs of issue 3: host-key approval, rotated disks, the media register, and pruning. */
export function registerTargetMediaCommands(program: Command): void {
  const target = program.commands.find((c) => c.name() === 'target') ?? program.command('target').description('places where backups are stored');

  target.command('approve-key <name> [fingerprint]')
    .description('approve the SSH host key the server presents (compare its SHA256 fingerprint with the server first)')
    .action(async (name: string, fingerprint: string | undefined, _o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const r = await api.targets.approveKey.mutate({ target: name, ...(fingerprint !== undefined ? { fingerprint } : {}) });
      out.result({ name: r.name, fingerprint: r.fingerprint, changed: r.changed }, () => r.alreadyApproved
        ? `${name}: the server's host key is already approved`
        : `${name}: host key ${r.fingerprint} approved; check it with: lifeboat target test ${name}`);
    }));

  target.command('eject <name>')
    .description('flush the present disk of a rotation set and record it as taken off site')
    .action(async (name: string, _o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const m = await api.media.eject.mutate({ target: name });
      out.result(m, () => `disk '${m.label}' (${m.id}) of set ${m.setName} flushed and marked off site; it can be unplugged now`);
    }));

  target.command('init-disk <set>')
    .description('make a mounted disk a member of a rotation set (writes its marker)')
    .requiredOption('--path <mount>', 'where the disk is mounted')
    .requiredOption('--label <label>', 'a name written on the disk\'s sticker, e.g. "Monday"')
    .action(async (set: string, o: { path: string; label: string }, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const m = await api.media.initDisk.mutate({ set, mount: o.path, label: o.label });
      out.result(m, () => `disk '${o.label}' ${m.created ? 'initialised' : 'relabelled'} as ${m.id} in set ${set}`);
    }));

  program.command('media').description('removable disks of rotation sets').command('list')
    .description('the media register: every disk, what it holds, when it was written and seen, whether it is off site')
    .action(async (_o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      // Disks plugged in now are recorded as seen (and so back on site).
      const rows = await api.media.list.query();
      out.result(rows, () => rows.length
        ? table(['SET', 'LABEL', 'DISK', 'SETS', 'LAST WRITE', 'LAST SEEN', 'WHERE'], rows.map((m) => [m.setName, m.label, m.id, String(m.setsHeld), m.lastWriteAt ?? '-', m.lastSeenAt ?? '-', m.offSite ? 'off site' : 'on site']))
        : 'no disks yet: initialise one with "lifeboat target init-disk <set> --path <mount> --label <label>"');
    }));

  program.command('prune')
    .description('apply retention to a job\'s targets or to one target')
    .option('--job <job>', 'every target of this job, with the job\'s retention policy')
    .option('--target <target>', 'one target, with the policy of the first job that uses it (or the default)')
    .option('--dry-run', 'list what would be removed; remove nothing')
    .action(async (o: { job?: string; target?: string; dryRun?: boolean }, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const reports = await api.retention.prune.mutate({ ...(o.job ? { job: o.job } : {}), ...(o.target ? { target: o.target } : {}), dryRun: Boolean(o.dryRun) });
      out.result(reports, () => reports.flatMap((r) => [
        `${r.target}: ${r.dryRun ? 'would remove' : 'removed'} ${r.remove.length} set(s) (${formatBytes(r.remove.reduce((n, x) => n + x.bytes, 0))}), kept ${r.keep.length}, ${r.dryRun ? 'would clean' : 'cleaned'} ${r.clean.length} incomplete folder(s)`,
        ...r.remove.map((x) => `  ${r.dryRun ? 'would remove' : 'removed'} ${x.path}`),
        ...r.clean.map((x) => `  ${r.dryRun ? 'would clean' : 'cleaned'} ${x.path} (${x.objects} object(s))`),
        ...r.untouched.map((x) => `  left alone (unreadable manifest): ${x.path}: ${x.reason}`),
      ]));
    }));
}
