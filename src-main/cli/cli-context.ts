import type { Command } from 'commander';
import { createOutput, type Output } from './output.ts';
import type { ApiClient } from '../api/client.ts';

export interface GlobalOptions {
  json?: boolean;
  home?: string;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** What a command body gets from withApi: the typed API, wherever it runs. */
export interface ApiCliContext {
  api: ApiClient;
  out: Output;
  /** 'agent' when a running agent answers (the work happens there), 'in-process' otherwise. */
  via: 'agent' | 'in-process';
}

/**
 * Runs a command body against the API: the running agent's over HTTP when there is one (so a run started
 * here executes in the agent, in its queue), otherwise the same router over a core opened in this process.
 * API errors come back as LifeboatErrors, so exit codes and messages are those of the error table.
 */
export async function withApi<T>(cmd: Command, body: (c: ApiCliContext) => Promise<T>): Promise<T> {
  // Loaded on demand: `demo`, `agent` and `serve` do not pay for tRPC and the router at start-up.
  const { findAgent, cliErrorFrom } = await import('./agent-client.ts');
  const { homePaths, lifeboatHome } = await import('../core/util/home.ts');
  const g = globalOptions(cmd);
  const out = createOutput(Boolean(g.json));
  const home = homePaths(g.home ? g.home : lifeboatHome());
  const agent = await findAgent(home.agentInfo);
  try {
    if (agent) return await body({ api: agent.client, out, via: 'agent' });
    const { createInProcessClient } = await import('../api/in-process-client.ts');
    const { inProcessServices } = await import('../api/in-process-services.ts');
    const { openCore, closeCore } = await import('../core/context.ts');
    const core = await openCore(g.home ? { home: g.home } : {});
    try {
      const services = inProcessServices(core);
      return await body({ api: createInProcessClient(() => ({ core, services, actor: core.actor })), out, via: 'in-process' });
    } finally {
      closeCore(core);
    }
  } catch (err) {
    throw cliErrorFrom(err);
  }
}

/**
 * Prints the phases ("  … phase") of the next run of this kind that starts, wherever it runs (the agent's
 * events arrive over SSE). Human mode only; returns the function that stops listening.
 */
export function printPhases(api: ApiClient, out: Output, kind: 'restore' | 'drill'): () => void {
  if (out.json) return () => undefined;
  let runId: string | null = null;
  const sub = api.events.runs.subscribe({}, {
    onData: (e) => {
      if (e.type === 'run.started' && runId === null && e.kind === kind) runId = e.runId;
      else if (e.type === 'run.progress' && e.runId === runId) out.info(`  … ${e.phase}`);
    },
  });
  return () => sub.unsubscribe();
}
