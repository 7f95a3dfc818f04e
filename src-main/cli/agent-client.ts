import { TRPCClientError } from '@trpc/client';
import { createApiClient, type ApiClient } from '../api/client.ts';
import { readAgentInfo, type AgentInfo } from '../api/agent-info.ts';
import { loopbackFetch } from '../api/loopback-fetch.ts';
import { pidAlive } from '../core/catalog/runs-repo.ts';
import { LifeboatError } from '../core/errors/lifeboat-error.ts';
import { isErrorCode } from '../core/errors/codes.ts';

/**
 * Finds the agent of a home folder: agent.json exists, its process is alive, and its port answers with
 * that token. Anything less means no agent (a crashed agent leaves a stale file behind).
 */
export async function findAgent(agentInfoFile: string, timeoutMs = 3000): Promise<{ info: AgentInfo; client: ApiClient } | null> {
  const info = readAgentInfo(agentInfoFile);
  if (!info || !pidAlive(info.pid)) return null;
  const client = createApiClient({ url: info.url, token: info.token, fetch: loopbackFetch, client: 'cli' });
  try {
    const who = await Promise.race([
      client.status.agent.query(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
    ]);
    return who.pid === info.pid ? { info, client } : null;
  } catch {
    return null;
  }
}

/** An API error as the CLI's error: same code (so the same exit code), same message. */
export function cliErrorFrom(err: unknown): unknown {
  if (!(err instanceof TRPCClientError)) return err;
  const data = err.data as { code?: unknown; hint?: unknown } | undefined;
  const code = isErrorCode(data?.code) ? data.code : 'INTERNAL';
  const e = new LifeboatError(code, { verb: 'call', thing: 'agent', ...(typeof data?.hint === 'string' ? { hint: data.hint } : {}) });
  e.message = err.message;
  return e;
}
