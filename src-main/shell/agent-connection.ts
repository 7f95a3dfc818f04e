import { spawn, type ChildProcess } from 'node:child_process';
import { readAgentInfo } from '../api/agent-info.ts';
import { createApiClient, type ApiClient } from '../api/client.ts';
import { homePaths } from '../core/util/home.ts';
import { LifeboatError } from '../core/errors/lifeboat-error.ts';

export interface AgentLink {
  url: string;
  token: string;
  client: ApiClient;
  /** The agent this process started, to stop on quit; null when it connected to a running one (the service). */
  child: ChildProcess | null;
}

async function answering(home: string): Promise<Omit<AgentLink, 'child'> | null> {
  const info = readAgentInfo(homePaths(home).agentInfo);
  if (!info) return null;
  const client = createApiClient({ url: info.url, token: info.token, client: 'shell' });
  try {
    await client.status.agent.query();
    return { url: info.url, token: info.token, client };
  } catch {
    return null;
  }
}

/**
 * The desktop app is a client of the agent (DESIGN §1): it uses the installed service when one answers
 * for this home, and otherwise starts the agent as its own child and waits for agent.json to name it.
 */
export async function connectOrStartAgent(home: string, opts: { command: string; args: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<AgentLink> {
  const running = await answering(home);
  if (running) return { ...running, child: null };
  const child = spawn(opts.command, opts.args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr = (stderr + String(d)).slice(-4000); });
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const up = await answering(home);
    if (up) return { ...up, child };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new LifeboatError('AGENT_NOT_RUNNING', {
    verb: 'start', thing: 'agent for', where: home, cause: stderr.trim().split('\n').at(-1) || 'it did not answer in time',
    hint: 'start the Lifeboat service, or run "lifeboat agent" to see why it stops',
  });
}
