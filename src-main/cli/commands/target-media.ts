import type { Command } from 'commander';
import { withCore } from '../cli-context.ts';
import { table, formatBytes } from '../output.ts';
import { openTarget } from '../../core/open-drivers.ts';
import { isLifeboatError, LifeboatError } from '../../core/errors/lifeboat-error.ts';
import { FINGERPRINT_PATTERN } from '../../core/targets/sftp/host-key.ts';
import { initDisk } from '../../core/targets/usb/init-disk.ts';
import { ejectDisk, recordMediaUse } from '../../core/targets/usb/eject-disk.ts';
import { pruneTarget, type PruneReport } from '../../core/retention/prune-target.ts';
import { parseRetentionPolicy } from '../../core/retention/policy.ts';
import type { CoreContext } from '../../core/context.ts';
import type { ConfigRecord } from '../../core/catalog/config-repo.ts';

/** Verbs of issue 3: host-key approval, rotated disks, the media register, and pruning. */
export function registerTargetMediaCommands(program: Command): void {
  const target = program.commands.find((c) => c.name() === 'target') ?? program.command('target').description('places where backups are stored');

  target.command('approve-key <name> [fingerprint]')
    .description('approve the SSH host key the server presents (compare its SHA256 fingerprint with the server first)')
    .action(async (name: string, fingerprint: string | undefined, _o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      if (fingerprint !== undefined && !FINGERPRINT_PATTERN.test(fingerprint)) {
        throw new LifeboatError('USAGE', { verb: 'read', thing: 'fingerprint', where: fingerprint, cause: 'expected SHA256:<43 base64 characters>, as ssh-keygen -lf prints it' });
      }
      const rec = core.catalog.targets.get(name);
      const presented = await presentedHostKey(core, rec);
      if (presented.approved) {
        out.result({ name, fingerprint: presented.fingerprint, changed: false }, () => `${name}: the server's host key is already approved`);
        return;
      }
      if (presented.changed && fingerprint === undefined) {
        throw new LifeboatError('CONFIRMATION_REQUIRED', { verb: 'approve', thing: 'changed host key', where: name, cause: `the server now presents ${presented.fingerprint}; give that fingerprint explicitly once you have checked it with the server's administrator` });
      }
      if (fingerprint !== undefined && fingerprint !== presented.fingerprint) {
        throw new LifeboatError('HOST_KEY_CHANGED', { verb: 'approve', thing: 'host key', where: name, cause: `the server presents ${presented.fingerprint}, not ${fingerprint}; nothing was approved` });
      }
      core.catalog.targets.update(rec.id, { config: { ...rec.config, hostKeySha256: presented.fingerprint } });
      core.catalog.audit.append({ actor: core.actor, action: 'target.approve-key', object: name, outcome: 'success', oldValue: rec.config.hostKeySha256 ?? null, newValue: presented.fingerprint });
      out.result({ name, fingerprint: presented.fingerprint, changed: presented.changed }, () => `${name}: host key ${presented.fingerprint} approved; check it with: lifeboat target test ${name}`);
    }));

  target.command('eject <name>')
    .description('flush the present disk of a rotation set and record it as taken off site')
    .action(async (name: string, _o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      const m = await ejectDisk(core, core.catalog.targets.get(name));
      core.catalog.audit.append({ actor: core.actor, action: 'media.eject', object: m.id, outcome: 'success', detail: { target: name, label: m.label } });
      out.result(m, () => `disk '${m.label}' (${m.id}) of set ${m.setName} flushed and marked off site; it can be unplugged now`);
    }));

  target.command('init-disk <set>')
    .description('make a mounted disk a member of a rotation set (writes its marker)')
    .requiredOption('--path <mount>', 'where the disk is mounted')
    .requiredOption('--label <label>', 'a name written on the disk\'s sticker, e.g. "Monday"')
    .action(async (set: string, o: { path: string; label: string }, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      const disk = await initDisk({ mount: o.path, set, label: o.label, site: core.site });
      const targetId = core.catalog.targets.list().find((t) => t.config.set === set)?.id ?? null;
      const m = core.catalog.media.register({ id: disk.id, setName: set, label: o.label, targetId });
      core.catalog.media.markSeen(disk.id, disk.mount);
      core.catalog.audit.append({ actor: core.actor, action: 'media.init', object: disk.id, outcome: 'success', detail: { set, label: o.label, created: disk.created } });
      out.result({ ...m, created: disk.created }, () => `disk '${o.label}' ${disk.created ? 'initialised' : 'relabelled'} as ${disk.id} in set ${set}`);
    }));

  program.command('media').description('removable disks of rotation sets').command('list')
    .description('the media register: every disk, what it holds, when it was written and seen, whether it is off site')
    .action(async (_o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      // Disks plugged in now are recorded as seen (and so back on site).
      for (const rec of core.catalog.targets.list()) {
        if (!('set' in rec.config)) continue;
        try {
          const t = await openTarget(core, rec);
          try { recordMediaUse(core, rec.id, t); } finally { await t.close(); }
        } catch (err) {
          if (!isLifeboatError(err, 'MEDIA_ABSENT')) throw err;
        }
      }
      const rows = core.catalog.media.list();
      out.result(rows, () => rows.length
        ? table(['SET', 'LABEL', 'DISK', 'SETS', 'LAST WRITE', 'LAST SEEN', 'WHERE'], rows.map((m) => [m.setName, m.label, m.id, String(m.setsHeld), m.lastWriteAt ?? '-', m.lastSeenAt ?? '-', m.offSite ? 'off site' : 'on site']))
        : 'no disks yet: initialise one with "lifeboat target init-disk <set> --path <mount> --label <label>"');
    }));

  program.command('prune')
    .description('apply retention to a job\'s targets or to one target')
    .option('--job <job>', 'every target of this job, with the job\'s retention policy')
    .option('--target <target>', 'one target, with the policy of the first job that uses it (or the default)')
    .option('--dry-run', 'list what would be removed; remove nothing')
    .action(async (o: { job?: string; target?: string; dryRun?: boolean }, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      if (!o.job === !o.target) throw new LifeboatError('USAGE', { verb: 'prune', thing: 'targets', cause: 'give exactly one of --job or --target' });
      const work: { rec: ConfigRecord; policySource: unknown; where: string }[] = [];
      if (o.job) {
        const job = core.catalog.jobs.get(o.job);
        for (const id of job.targetIds) work.push({ rec: core.catalog.targets.get(id), policySource: job.options.retention, where: `job ${job.name}` });
      } else {
        const rec = core.catalog.targets.get(o.target!);
        const job = core.catalog.jobs.list().find((j) => j.targetIds.includes(rec.id));
        work.push({ rec, policySource: job?.options.retention, where: job ? `job ${job.name}` : 'default policy' });
      }
      const reports: PruneReport[] = [];
      for (const w of work) {
        const report = await pruneTarget(core, w.rec, parseRetentionPolicy(w.policySource, w.where), { dryRun: Boolean(o.dryRun) });
        reports.push(report);
        if (!report.dryRun) {
          core.catalog.audit.append({ actor: core.actor, action: 'retention.prune', object: w.rec.name, outcome: 'success', detail: { removed: report.remove.map((r) => r.id), cleaned: report.clean.map((c) => c.path) } });
        }
      }
      out.result(reports, () => reports.flatMap((r) => [
        `${r.target}: ${r.dryRun ? 'would remove' : 'removed'} ${r.remove.length} set(s) (${formatBytes(r.remove.reduce((n, x) => n + x.bytes, 0))}), kept ${r.keep.length}, ${r.dryRun ? 'would clean' : 'cleaned'} ${r.clean.length} incomplete folder(s)`,
        ...r.remove.map((x) => `  ${r.dryRun ? 'would remove' : 'removed'} ${x.path}`),
        ...r.clean.map((x) => `  ${r.dryRun ? 'would clean' : 'cleaned'} ${x.path} (${x.objects} object(s))`),
        ...r.untouched.map((x) => `  left alone (unreadable manifest): ${x.path}: ${x.reason}`),
      ]));
    }));
}

/** The host key the server presents, learnt from the pinning errors of a connection attempt. */
async function presentedHostKey(core: CoreContext, rec: ConfigRecord): Promise<{ fingerprint: string; approved: boolean; changed: boolean }> {
  try {
    const t = await openTarget(core, rec);
    await t.close();
    return { fingerprint: String(rec.config.hostKeySha256 ?? ''), approved: true, changed: false };
  } catch (err) {
    if (isLifeboatError(err, 'HOST_KEY_UNKNOWN') || isLifeboatError(err, 'HOST_KEY_CHANGED')) {
      return { fingerprint: String(err.details?.fingerprint), approved: false, changed: err.code === 'HOST_KEY_CHANGED' };
    }
    if (isLifeboatError(err) && rec.config.hostKeySha256 === undefined && err.code !== 'TARGET_UNREACHABLE') {
      throw new LifeboatError('USAGE', { verb: 'approve', thing: 'host key', where: rec.name, cause: `the target did not ask for one (${err.message})` });
    }
    throw err;
  }
}
