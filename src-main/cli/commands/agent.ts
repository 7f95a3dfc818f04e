import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { globalOptions } from '../cli-context.ts';
import { createOutput } from '../output.ts';
import { positiveInt } from '../options.ts';
import { findAgent } from '../agent-client.ts';
import { startAgent } from '../../agent/agent.ts';
import { renderSystemdUnit, renderWinswConfig, SERVICE_NAME } from '../../agent/service-unit.ts';
import { homePaths, lifeboatHome } from '../../core/util/home.ts';
import { createLogger, fileSink } from '../../core/util/logger.ts';
import { LifeboatError } from '../../core/errors/lifeboat-error.ts';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../main.ts');

export function registerAgentCommands(program: Command): void {
  const agent = program.command('agent').description('run the background agent (scheduler, alerts, local API) in the foreground')
    .option('--port <n>', 'listen on this port of 127.0.0.1 (default: a random free port)')
    .option('--grace <seconds>', 'at shutdown, how long running backups may take to finish', '60')
    .option('--max-concurrent <n>', 'how many jobs may run at once (default: setting scheduler.maxConcurrent, else 2)')
    .action(async (o, cmd: Command) => {
      const g = globalOptions(cmd);
      const out = createOutput(Boolean(g.json));
      const home = g.home ? path.resolve(g.home) : lifeboatHome();
      const paths = homePaths(home);
      const sink = fileSink(paths.logs);
      // Foreground: the log goes to the file and to stderr, where systemd's journal picks it up.
      const logger = createLogger((line) => { sink(line); process.stderr.write(line + '\n'); });
      const a = await startAgent({
        home, logger, graceMs: positiveInt(o.grace, '--grace') * 1000,
        ...(o.port ? { port: positiveInt(o.port, '--port') } : {}),
        ...(o.maxConcurrent ? { maxConcurrent: positiveInt(o.maxConcurrent, '--max-concurrent') } : {}),
      });
      out.result({ pid: process.pid, url: a.url, home }, () => `lifeboat agent ${process.pid} listening on ${a.url} (home ${home}); stop with Ctrl+C or SIGTERM`);
      const onSignal = (sig: string) => { logger.log('info', `received ${sig}`); void a.stop(); };
      process.once('SIGTERM', () => onSignal('SIGTERM'));
      process.once('SIGINT', () => onSignal('SIGINT'));
      await a.stopped;
    });

  agent.command('status').description('is an agent running for this home, and what is it doing')
    .action(async (_o, cmd: Command) => {
      const g = globalOptions(cmd);
      const out = createOutput(Boolean(g.json));
      const paths = homePaths(g.home ? path.resolve(g.home) : lifeboatHome());
      const found = await findAgent(paths.agentInfo);
      if (!found) {
        out.result({ running: false, home: paths.root }, () => `no agent is running for ${paths.root}`);
        process.exitCode = 1;
        return;
      }
      const who = await found.client.status.agent.query();
      const q = await found.client.jobs.queue.query();
      const names = new Map((await found.client.jobs.list.query()).map((j) => [j.id, j.name]));
      const name = (id: string) => names.get(id) ?? id;
      out.result({ running: true, ...who, url: found.info.url, queue: q }, () => [
        `agent ${who.pid} running since ${who.startedAt} on ${found.info.url} (version ${who.version}, site ${who.site})`,
        `running: ${q.running.length ? q.running.map((r) => `${name(r.jobId)} (${r.trigger})`).join(', ') : 'nothing'}`,
        `waiting: ${q.queued.length ? q.queued.map((r) => `${name(r.jobId)} (${r.trigger}, not before ${r.notBefore})`).join(', ') : 'nothing'}`,
      ]);
    });

  agent.command('install-service').description('install the agent as a service that starts at boot (systemd on Linux, WinSW on Windows)')
    .option('--dry-run', 'print the service definition and the commands, change nothing')
    .option('--user <name>', 'the account the service runs as (Linux)', os.userInfo().username)
    .action(async (o, cmd: Command) => {
      const g = globalOptions(cmd);
      const out = createOutput(Boolean(g.json));
      const home = g.home ? path.resolve(g.home) : lifeboatHome();
      // --grace belongs to `agent`; commander hands it to the parent command.
      const grace = positiveInt(String((cmd.optsWithGlobals() as { grace?: string }).grace ?? '60'), '--grace');
      const vars = { user: o.user as string, home, node: process.execPath, main: MAIN, grace, stopTimeout: grace + 30 };
      if (process.platform === 'win32') {
        const xml = renderWinswConfig(vars);
        const wrapper = path.join(path.dirname(process.execPath), 'lifeboat-service.exe');
        const steps = [`"${wrapper}" install`, `"${wrapper}" start`];
        if (o.dryRun) return out.result({ config: xml, steps }, () => [xml, ...steps.map((s) => `would run: ${s}`)]);
        if (!fs.existsSync(wrapper)) throw new LifeboatError('SERVICE_INSTALL_FAILED', { verb: 'install', thing: 'service wrapper', where: wrapper, cause: 'lifeboat-service.exe (WinSW) is not installed next to Lifeboat', hint: 'reinstall Lifeboat with the service option' });
        fs.writeFileSync(wrapper.replace(/\.exe$/, '.xml'), xml);
        for (const args of [['install'], ['start']]) run(wrapper, args);
        return out.result({ installed: SERVICE_NAME }, () => `service ${SERVICE_NAME} installed and started`);
      }
      if (process.platform !== 'linux') throw new LifeboatError('SERVICE_INSTALL_FAILED', { verb: 'install', thing: 'service on', where: process.platform, cause: 'only Linux (systemd) and Windows are supported' });
      let unit: string;
      try {
        unit = renderSystemdUnit(vars);
      } catch (err) {
        throw new LifeboatError('SERVICE_INSTALL_FAILED', { verb: 'write', thing: 'systemd unit', where: SERVICE_NAME, cause: (err as Error).message });
      }
      const file = `/etc/systemd/system/${SERVICE_NAME}.service`;
      const steps = ['systemctl daemon-reload', `systemctl enable --now ${SERVICE_NAME}`];
      if (o.dryRun) return out.result({ file, unit, steps }, () => [`# ${file}`, unit, ...steps.map((s) => `would run: ${s}`)]);
      try {
        fs.writeFileSync(file, unit, { mode: 0o644 });
      } catch (err) {
        throw new LifeboatError('SERVICE_INSTALL_FAILED', { verb: 'write', thing: 'systemd unit', where: file, cause: (err as Error).message, hint: 'run as root (sudo lifeboat agent install-service)' });
      }
      run('systemctl', ['daemon-reload']);
      run('systemctl', ['enable', '--now', SERVICE_NAME]);
      out.result({ installed: SERVICE_NAME, file }, () => `service ${SERVICE_NAME} installed (${file}), enabled and started`);
    });
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new LifeboatError('SERVICE_INSTALL_FAILED', { verb: 'run', thing: 'command', where: `${cmd} ${args.join(' ')}`, cause: (r.stderr || r.stdout || String(r.error ?? 'failed')).trim() });
  }
}
