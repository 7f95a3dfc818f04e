import fs from 'node:fs';
import path from 'node:path';
import { pidAlive } from '../catalog/runs-repo.ts';

/**
 * Removes the work folders that nothing will use again: those of runs just closed as interrupted, and the
 * per-process folders of verifications whose process is gone. A killed run leaves its folder behind, and it
 * may hold a pgpass file with the database password, named pipes, or a restore's unpacked dump as large as
 * the database. Folders of live runs and live processes are left alone. Returns the names removed.
 */
export function removeStaleWork(workRoot: string, closedRunIds: ReadonlyArray<string>, isAlive: (pid: number) => boolean = pidAlive): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(workRoot);
  } catch {
    return [];
  }
  const closed = new Set(closedRunIds);
  const stale = names.filter((n) => {
    if (closed.has(n)) return true;
    const verifier = /^verify-.+-(\d+)$/.exec(n);
    return verifier !== null && !isAlive(Number(verifier[1]));
  });
  for (const n of stale) fs.rmSync(path.join(workRoot, n), { recursive: true, force: true });
  return stale;
}
