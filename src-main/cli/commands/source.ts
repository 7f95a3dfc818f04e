import type { Command } from 'commander';
import { withApi, collect } from '../cli-context.ts';
import { readSecret } from '../secret-input.ts';
import { parseOptionPairs } from '../options.ts';
import { table, formatBytes } from '../output.ts';
import { engineDriver } from '../../core/engines/registry.ts';
import { parseConfig } from '../../core/open-drivers.ts';

export function registerSourceCommands(program: Command): void {
  const source = program.command('source').description('database servers to back up');

  source.command('add <name>')
    .description('add a database server (PostgreSQL or SQL Server)')
    .requiredOption('--kind <kind>', 'postgres or mssql')
    .option('--host <host>', 'server host name or address')
    .option('--port <port>', 'server port')
    .option('--user <user>', 'login name')
    .option('--maintenance-db <db>', 'database used for server-level queries (PostgreSQL: postgres)')
    .option('--tools-dir <dir>', 'folder with pg_dump / pg_restore (default: searched)')
    .option('--sslmode <mode>', 'PostgreSQL sslmode: disable, prefer, require, verify-full')
    .option('--option <key=value>', 'driver setting (repeatable)', collect)
    .option('--password-env <var>', 'read the password from this environment variable')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (name: string, o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const driver = engineDriver(o.kind);
      const config: Record<string, unknown> = { ...parseOptionPairs(o.option) };
      for (const [flag, key] of [['host', 'host'], ['port', 'port'], ['user', 'user'], ['maintenanceDb', 'maintenanceDb'], ['toolsDir', 'toolsDir'], ['sslmode', 'sslmode']] as const) {
        if (o[flag] !== undefined) config[key] = o[flag];
      }
      // Checked here too, so a bad flag is a usage error (exit 2); the API checks it again.
      const parsed = parseConfig(driver.configSchema, { id: '', name, kind: o.kind, config, secret: null, createdAt: '', updatedAt: '' }, 'source', 'USAGE') as Record<string, unknown>;
      // The password goes in the request body (loopback, token-protected); whoever serves it seals it with machine.key.
      const password = readSecret({ env: o.passwordEnv, stdin: o.passwordStdin }, 'password');
      const rec = await api.sources.add.mutate({ name, kind: o.kind, config: parsed, ...(password !== null ? { password } : {}) });
      out.result({ id: rec.id, name: rec.name, kind: rec.kind, config: rec.config }, () => `source '${name}' added (${rec.kind}); check it with: lifeboat source test ${name}`);
    }));

  source.command('list').description('list database servers').action(async (_o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
    const rows = await api.sources.list.query();
    out.result(rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, config: r.config, hasPassword: r.hasSecret })),
      () => rows.length ? table(['NAME', 'KIND', 'SERVER'], rows.map((r) => [r.name, r.kind, `${r.config.host ?? ''}:${r.config.port ?? ''}`])) : 'no sources yet: add one with "lifeboat source add"');
  }));

  source.command('test <name>').description('connect and show version, databases and sizes').action(async (name: string, _o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
    const rec = await api.sources.get.query({ source: name });
    const p = await api.sources.test.mutate({ source: name });
    out.result(p, () => [
      `${rec.name}: ${rec.kind} ${p.serverVersion}${p.edition ? ` (${p.edition})` : ''}${p.dataChecksums === null ? '' : `, data checksums ${p.dataChecksums ? 'on' : 'off'}`}`,
      ...table(['DATABASE', 'SIZE', ...(p.databases.some((d) => d.recoveryModel) ? ['RECOVERY'] : [])],
        p.databases.map((d) => [d.name, formatBytes(d.sizeBytes), ...(d.recoveryModel ? [d.recoveryModel] : [])])),
    ]);
  }));
}
