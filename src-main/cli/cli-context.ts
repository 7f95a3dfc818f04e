import type { Command } from 'commander';
import { openCore, closeCore, type CoreContext } from '../core/context.ts';
import { createOutput, type Output } from './output.ts';

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
