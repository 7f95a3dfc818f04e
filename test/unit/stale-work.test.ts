import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStaleWork } from '../../src-main/core/runner/stale-work.ts';
import { cleanupTemp, tempDir } from '../support/temp.ts';

afterAll(() => cleanupTemp());

describe('removing stale work folders', () => {
  it('removes the folders of closed runs and of verifications whose process is gone, and nothing else', () => {
    const work = tempDir();
    const make = (name: string) => {
      fs.mkdirSync(path.join(work, name, 'relay-x'), { recursive: true });
      fs.writeFileSync(path.join(work, name, 'pgpass-1-2'), 'host:5432:*:user:secret\n', { mode: 0o600 });
    };
    for (const n of ['run_killed', 'run_live', 'verify-set_a-4000001', 'verify-set_b-4000002', 'verify-notapid']) make(n);
    const alive = (pid: number) => pid === 4000002;

    const removed = removeStaleWork(work, ['run_killed', 'run_never_started'], alive);
    expect(removed.sort()).toEqual(['run_killed', 'verify-set_a-4000001']);
    expect(fs.readdirSync(work).sort()).toEqual(['run_live', 'verify-notapid', 'verify-set_b-4000002']);
  });

  it('does nothing when there is no work folder yet', () => {
    expect(removeStaleWork(path.join(tempDir(), 'work'), ['run_x'])).toEqual([]);
  });
});
