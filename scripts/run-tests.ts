// The README's test command. Runs every suite with vitest, then prints the plain closing line CI reads:
// "N passed, N failed". Real servers are started by the suites' own harness (test/support/).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-tests-')), 'report.json');
const args = ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR } });

let passed = 0;
let failed = 0;
try {
  const j = JSON.parse(fs.readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; testResults: { status: string; assertionResults?: { status: string }[] }[] };
  passed = j.numPassedTests;
  failed = j.numFailedTests;
  // A suite that failed before any test ran (a missing server, a broken import) counts as a failure too.
  failed += j.testResults.filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
} catch {
  failed = Math.max(failed, 1);
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || r.status !== 0 ? 1 : 0);
