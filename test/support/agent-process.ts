import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readAgentInfo, type AgentInfo } from '../../src-main/api/agent-info.ts';
import { createApiClient, type ApiClient } from '../../src-main/api/client.ts';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src-main/cli/main.ts');

export interface AgentProcess {
  proc: ChildProcess;
  pid: number;
  info: AgentInfo;
  api: ApiClient;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<number | null>;
  kill9(): Promise<void>;
}

/** Runs the CLI with Node 24 (the same binary running the tests), returning its exit code and output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    p.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Spawns `lifeboat agent --home <home>` as a real process and waits until its agent.json names this
 * process and the API answers.
 */
export async function spawnAgent(home: string, args: string[] = [], timeoutMs = 20_000): Promise<AgentProcess> {
  const proc = spawn(process.execPath, [MAIN, '--home', home, 'agent', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  proc.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => { done = true; });
  const until = Date.now() + timeoutMs;
  const file = path.join(home, 'agent.json');
  for (;;) {
    if (done) throw new Error(`the agent exited before it was ready:\n${out}`);
    if (Date.now() > until) { proc.kill('SIGKILL'); throw new Error(`the agent did not become ready in ${timeoutMs} ms:\n${out}`); }
    const info = fs.existsSync(file) ? readAgentInfo(file) : null;
    if (info && info.pid === proc.pid) {
      const api = createApiClient({ url: info.url, token: info.token });
      try {
        await api.status.agent.query();
        return {
          proc, pid: proc.pid!, info, api, exited, output: () => out,
          async stop() { proc.kill('SIGTERM'); return exited; },
          async kill9() { proc.kill('SIGKILL'); await exited; },
        };
      } catch { /* not answering yet */ }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
