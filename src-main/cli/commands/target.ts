import type { Command } from 'commander';
import { Readable } from 'node:stream';
import { createHash, randomBytes } from 'node:crypto';
import { withCore, collect } from '../cli-context.ts';
import { readSecret } from '../secret-input.ts';
import { parseOptionPairs } from '../options.ts';
import { table, formatBytes } from '../output.ts';
import { targetDriver } from '../../core/targets/registry.ts';
import { openTarget, parseConfig } from '../../core/open-drivers.ts';
import { hashObject } from '../../core/verify/hash-object.ts';
import { LifeboatError } from '../../core/errors/lifeboat-error.ts';

export function registerTargetCommands(program: Command): void {
  const target = program.command('target').description('places where backups are stored');

  target.command('add <name>')
    .description('add a target (local folder, USB rotation set, SFTP, SMB)')
    .requiredOption('--kind <kind>', 'local, usb, sftp or smb')
    .option('--path <path>', 'folder (local), or remote path')
    .option('--option <key=value>', 'driver setting (repeatable)', collect)
    .option('--secret-env <var>', 'read the password or key passphrase from this environment variable')
    .option('--secret-stdin', 'read the password or key passphrase from standard input')
    .action(async (name: string, o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      const driver = targetDriver(o.kind);
      const config: Record<string, unknown> = { ...parseOptionPairs(o.option), ...(o.path !== undefined ? { path: o.path } : {}) };
      const parsed = parseConfig(driver.configSchema, { id: '', name, kind: o.kind, config, secret: null, createdAt: '', updatedAt: '' }, 'target', 'USAGE') as Record<string, unknown>;
      const secret = readSecret({ env: o.secretEnv, stdin: o.secretStdin }, 'secret');
      const rec = core.catalog.targets.add({ name, kind: o.kind, config: parsed, secret: secret === null ? null : core.secrets.seal(secret) });
      core.catalog.audit.append({ actor: core.actor, action: 'target.add', object: name, outcome: 'success', detail: { kind: o.kind, config: parsed } });
      out.result({ id: rec.id, name, kind: rec.kind, config: rec.config }, () => `target '${name}' added (${rec.kind}); check it with: lifeboat target test ${name}`);
    }));

  target.command('list').description('list targets').action(async (_o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
    const rows = core.catalog.targets.list();
    out.result(rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, config: r.config })),
      () => rows.length ? table(['NAME', 'KIND', 'WHERE'], rows.map((r) => [r.name, r.kind, String(r.config.path ?? r.config.host ?? r.config.set ?? '')])) : 'no targets yet: add one with "lifeboat target add"');
  }));

  target.command('test <name>').description('write, read back, hash and remove a probe object; show free space')
    .action(async (name: string, _o, cmd: Command) => withCore(cmd, async ({ core, out }) => {
      const rec = core.catalog.targets.get(name);
      const t = await openTarget(core, rec);
      try {
        const probe = `lifeboat/.probe-${randomBytes(6).toString('hex')}`;
        const data = randomBytes(256 * 1024);
        const started = Date.now();
        await t.put(probe, Readable.from([data]));
        const h = await hashObject(t, probe);
        await t.remove(probe);
        if (h.sha256 !== createHash('sha256').update(data).digest('hex')) {
          throw new LifeboatError('VERIFY_MISMATCH', { verb: 'test', thing: 'target', where: name, cause: 'the probe object read back differs from what was written' });
        }
        const free = t.capabilities.freeSpace && t.freeSpace ? await t.freeSpace() : null;
        const result = { name, kind: rec.kind, location: t.location, ok: true, roundTripMs: Date.now() - started, remoteHash: h.remote, freeBytes: free, capabilities: t.capabilities };
        out.result(result, () => `${name}: OK (${t.location}); write, read back and remove in ${result.roundTripMs} ms${free !== null ? `; ${formatBytes(free)} free` : ''}`);
      } finally {
        await t.close();
      }
    }));
}
