import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.ts';

// pg_dump's output is gathered into 1 MiB writes by coreutils' stdbuf, which works by preloading a library.
// Where stdbuf exists but cannot run (a partial install), the tool must run as it is instead of failing.
const child = path.resolve(import.meta.dirname, '../../src-main/core/util/child.ts');
const probe = `const { toolOutput } = await import(${JSON.stringify(child)});
process.stdout.write(await toolOutput('sh', ['-c', 'echo "preload=$LD_PRELOAD"; echo whole'], { largeWrites: true }));`;

function run(prefix: string[]): string {
  return execFileSync(prefix[0]!, [...prefix.slice(1), process.execPath, '--input-type=module', '-e', probe], { encoding: 'utf8' });
}

describe('a tool run with large writes', () => {
  it('runs under stdbuf where stdbuf works', () => {
    const out = run(['env']);
    expect(out).toMatch(/^preload=\S*libstdbuf\S*\nwhole\n$/);
  });

  it('runs directly, and still succeeds, where stdbuf is present but broken', () => {
    const broken = path.join(tempDir(), 'stdbuf');
    fs.writeFileSync(broken, '#!/bin/sh\necho "stdbuf: failed to find libstdbuf.so" >&2\nexit 1\n', { mode: 0o755 });
    const stdbuf = ['/usr/bin/stdbuf', '/bin/stdbuf'].find((f) => fs.existsSync(f))!;
    const out = run(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', `mount --bind "${broken}" "${stdbuf}" && exec "$@"`, 'sh']);
    expect(out).toBe('preload=\nwhole\n');
  });
});
