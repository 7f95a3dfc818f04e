import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../../src-main/core/util/node-flags.ts';
import { ROOT } from '../support/cli.ts';

// Every other suite runs the TypeScript sources; the desktop app ships the bundle (dist/cli), which it also starts
// as its agent. Bundling can break what the sources do (a package compiled in, a chunk loaded lazily, the relay
// thread's code evaluated from a string), so the bundle is built here and runs the demo end to end.
describe('the bundled CLI', () => {
  it('is built and backs up, verifies, restores and checks the sample plant database', () => {
    const b = spawnSync(process.execPath, ['build/build-shell.ts'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    expect(b.status, b.stderr).toBe(0);
    const r = spawnSync(process.execPath, [...NODE_FLAGS, path.join(ROOT, 'dist/cli/main.js'), 'demo'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('DEMO PASSED: backed up, verified, restored and checked.');
    expect(r.stdout).toMatch(/historian\.tag_values 120000\/120000/);
  }, 440_000);
});
