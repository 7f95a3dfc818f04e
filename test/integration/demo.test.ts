import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.ts';

// Acceptance (issue 2): the README's first command works as written.
describe('npm run demo', () => {
  it('backs up, verifies, restores and checks the sample plant database', () => {
    const r = spawnSync('npm', ['run', '--silent', 'demo'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('DEMO PASSED: backed up, verified, restored and checked.');
    expect(r.stdout).toMatch(/restore as plant_mes_restored\s+[\d.]+ (ms|s)\s+restored in \d+ ms/);
    expect(r.stdout).toMatch(/historian\.tag_values 120000\/120000/);
  }, 260_000);
});
