import type { Command } from 'commander';
import { openCore, closeCore, type CoreContext } from '../core/context.ts';
import { createOutput, type Output } from './output.ts';
import type { ApiClient } from '../api/client.ts';

export interface GlobalOptions {
  json?: boolean;
  home?: string;
}

/** What every command body gets: the core (in-process) and the output. */
export interface CliContext {
  core: CoreContext;
  out: Output;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/**
 * Runs a command body against the core in-process; the catalog is closed afterwards whatever happens.
 * (When an agent runs, the agent's API client takes this place: see src-main/cli/agent-client.ts.)
 */
export async function withCore<T>(cmd: Command, body: (c: CliContext) => Promise<T>): Promise<T> {
  const g = globalOptions(cmd);
  const out = createOutput(Boolean(g.json));
  const core = await openCore(g.home ? { home: g.home } : {});
  try {
    return await body({ core, out });
  } finally {
    closeCore(core);
  }
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
  // Loaded on demand: commands that use withCore should not pay for tRPC and the router at start-up.
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
