import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { toolOutput, ToolExitError } from '../../src-main/core/util/child.ts';

// toolOutput feeds a tool (pg_restore --list) from a copy being read back. A copy that fails to decrypt or
// decompress halfway must fail the call with that cause, never crash the process (the agent) with an
// unheard stream error.
describe('toolOutput', () => {
  it('returns what the tool printed', async () => {
    expect(await toolOutput('sh', ['-c', 'tr a-z A-Z'], { stdin: Readable.from([Buffer.from('toc\n')]) })).toBe('TOC\n');
  });

  it('a failing input rejects with the input\'s own error, and nothing is left unheard', async () => {
    const input = new Readable({ read() {} });
    input.push(Buffer.alloc(64 * 1024, 1));
    setTimeout(() => input.destroy(new Error('unable to decompress artifact: unexpected end of data')), 50);
    await expect(toolOutput('cat', [], { stdin: input, toolName: 'pg_restore' })).rejects.toThrow('unexpected end of data');
    // An uncaught error would surface here, failing the run of this file.
    await new Promise((r) => setTimeout(r, 50));
  });

  it('a tool that fails on its own rejects with ToolExitError naming it', async () => {
    const err = await toolOutput('sh', ['-c', 'echo broken archive >&2; exit 1'], { stdin: Readable.from([Buffer.from('x')]), toolName: 'pg_restore' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolExitError);
    expect((err as Error).message).toContain('pg_restore');
    expect((err as Error).message).toContain('broken archive');
  });
});
