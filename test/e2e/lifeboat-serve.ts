import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from '../support/cli.ts';

export interface Served { url: string; origin: string; child: ChildProcess; stop(): Promise<void> }

/** Starts `lifeboat serve` as a user would and waits for the URL it prints (with #token=…). */
export function startServe(home: string, timeoutMs = 90_000): Promise<Served> {
  const child = spawn(process.execPath, [CLI, '--home', home, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`lifeboat serve printed no URL in ${timeoutMs} ms: ${out}${err}`)); }, timeoutMs);
    child.stderr!.on('data', (d) => { err += d; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`lifeboat serve exited with ${code}: ${out}${err}`)); });
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)\/#token=[A-Za-z0-9_-]+/);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        url: m[0], origin: m[1]!, child,
        stop: () => new Promise<void>((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
        }),
      });
    });
  });
}
