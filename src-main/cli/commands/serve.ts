import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { globalOptions } from '../cli-context.ts';
import { createOutput } from '../output.ts';
import { positiveInt } from '../options.ts';
import { startAgent } from '../../agent/agent.ts';
import { lifeboatHome, homePaths } from '../../core/util/home.ts';
import { createLogger, fileSink } from '../../core/util/logger.ts';
import { LifeboatError } from '../../core/errors/lifeboat-error.ts';
import { rendererStaticHandler } from '../../shell/renderer-static.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_DIR = path.join(ROOT, 'dist', 'renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * In a source checkout, builds the renderer with vite when dist/renderer is missing or older than
 * src-renderer/ (a stale console would show yesterday's screens); an installed copy has no sources and
 * serves what it shipped.
 */
export function ensureRendererBuilt(dir = RENDERER_DIR): void {
  const index = path.join(dir, 'index.html');
  const sources = path.join(ROOT, 'src-renderer');
  if (fs.existsSync(index) && (!fs.existsSync(sources) || newestMtime(sources) <= fs.statSync(index).mtimeMs)) return;
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!fs.existsSync(vite)) {
    throw new LifeboatError('TOOL_MISSING', { verb: 'serve', thing: 'console', where: dir, cause: 'the console is not built and vite is not installed', hint: 'run "npm run build:renderer" on a machine with the dev dependencies' });
  }
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(path.join(dir, 'index.html'))) {
    throw new LifeboatError('INTERNAL', { verb: 'build', thing: 'console', where: dir, cause: (r.stderr || r.stdout || 'vite failed').trim() });
  }
}

export function registerServeCommand(program: Command): void {
  program.command('serve').description('run the agent and serve the operator console to a browser on 127.0.0.1 (for machines without a desktop)')
    .option('--port <n>', 'listen on this port of 127.0.0.1 (default: a random free port)')
    .option('--open', 'open the console in the default browser')
    .action(async (o, cmd: Command) => {
      const g = globalOptions(cmd);
      const out = createOutput(Boolean(g.json));
      const home = g.home ? path.resolve(g.home) : lifeboatHome();
      ensureRendererBuilt();
      const sink = fileSink(homePaths(home).logs);
      const logger = createLogger((line) => sink(line));
      const a = await startAgent({ home, logger, staticHandler: rendererStaticHandler(RENDERER_DIR), ...(o.port ? { port: positiveInt(o.port, '--port') } : {}) });
      // The token rides in the fragment: browsers never send it to a server or put it in a Referer.
      const url = `http://127.0.0.1:${a.port}/#token=${a.token}`;
      out.result({ pid: process.pid, url, home }, () => `Lifeboat console: ${url}\n(agent ${process.pid}, home ${home}; stop with Ctrl+C)`);
      if (o.open) openBrowser(url);
      const stop = () => { void a.stop(); };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      await a.stopped;
    });
}

function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  spawn(cmd as string, args as string[], { detached: true, stdio: 'ignore' }).on('error', () => undefined).unref();
}
