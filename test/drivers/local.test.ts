import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { describeRetentionOnTarget, describeTargetContract } from '../contract/target-contract.ts';
import { localDriver } from '../../src-main/core/targets/local/driver.ts';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-local-contract-'));
let n = 0;
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describeTargetContract('local folder', async () => {
  const dir = path.join(base, `t${++n}`);
  fs.mkdirSync(dir);
  return localDriver.open({ path: dir }, { secret: null, home: base });
});

describeRetentionOnTarget('local folder', async () => {
  const dir = path.join(base, `prune${++n}`);
  fs.mkdirSync(dir);
  const old = new Date(Date.now() - 2 * 86_400_000);
  return {
    target: await localDriver.open({ path: dir }, { secret: null, home: base }),
    age: async (name: string) => fs.utimesSync(path.join(dir, name), old, old),
  };
});
