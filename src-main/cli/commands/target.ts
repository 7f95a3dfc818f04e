import type { Command } from 'commander';
import { withApi, collect } from '../cli-context.ts';
import { readSecret } from '../secret-input.ts';
import { parseOptionPairs } from '../options.ts';
import { table, formatBytes } from '../output.ts';
import { targetDriver } from '../../core/targets/registry.ts';
import { parseConfig } from '../../core/open-drivers.ts';

export function registerTargetCommands(program: Command): void {
  const target = program.command('target').description('places where backups are stored');

  target.command('add <name>')
    .description('add a target (local folder, USB rotation set, SFTP, SMB)')
    .requiredOption('--kind <kind>', 'local, usb, sftp or smb')
    .option('--path <path>', 'folder (local), or remote path')
    .option('--option <key=value>', 'driver setting (repeatable)', collect)
    .option('--secret-env <var>', 'read the password or key passphrase from this environment variable')
    .option('--secret-stdin', 'read the password or key passphrase from standard input')
    .action(async (name: string, o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const driver = targetDriver(o.kind);
      const config: Record<string, unknown> = { ...parseOptionPairs(o.option), ...(o.path !== undefined ? { path: o.path } : {}) };
      // Checked here too, so a bad flag is a usage error (exit 2); the API checks it again.
      const parsed = parseConfig(driver.configSchema, { id: '', name, kind: o.kind, config, secret: null, createdAt: '', updatedAt: '' }, 'target', 'USAGE') as Record<string, unknown>;
      // The secret goes in the request body (loopback, token-protected); whoever serves it seals it with machine.key.
      const secret = readSecret({ env: o.secretEnv, stdin: o.secretStdin }, 'secret');
      const rec = await api.targets.add.mutate({ name, kind: o.kind, config: parsed, ...(secret !== null ? { secret } : {}) });
      out.result({ id: rec.id, name, kind: rec.kind, config: rec.config }, () => `target '${name}' added (${rec.kind}); check it with: lifeboat target test ${name}`);
    }));

  target.command('list').description('list targets').action(async (_o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
    const rows = await api.targets.list.query();
    out.result(rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, config: r.config })),
      () => rows.length ? table(['NAME', 'KIND', 'WHERE'], rows.map((r) => [r.name, r.kind, String(r.config.path ?? r.config.host ?? r.config.set ?? '')])) : 'no targets yet: add one with "lifeboat target add"');
  }));

  target.command('test <name>').description('write, read back, hash and remove a probe object; show free space')
    .action(async (name: string, _o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const result = await api.targets.test.mutate({ target: name });
      out.result(result, () => `${name}: OK (${result.location}); write, read back and remove in ${result.roundTripMs} ms${result.freeBytes !== null ? `; ${formatBytes(result.freeBytes)} free` : ''}`);
    }));
}
