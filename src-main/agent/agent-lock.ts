import fs from 'node:fs';
import path from 'node:path';
import { LifeboatError } from '../core/errors/lifeboat-error.ts';
import { pidAlive } from '../core/catalog/runs-repo.ts';

export const LOCK_FILE = 'agent.lock';

/**
 * One agent per catalog: a lock file holding the owner's pid, created exclusively. A lock whose process is
 * gone (kill -9, power loss) is taken over; a live one refuses with CATALOG_LOCKED.
 */
export function acquireAgentLock(home: string): { file: string; release(): void } {
  const file = path.join(home, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      return {
        file,
        release() {
          if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readPid(file);
      if (owner !== null && owner !== process.pid && pidAlive(owner)) {
        throw new LifeboatError('CATALOG_LOCKED', {
          verb: 'start', thing: 'agent for', where: home, cause: `agent process ${owner} already runs for this catalog`,
          hint: 'use the running agent (lifeboat agent status), or stop it first',
        });
      }
      // Stale: the owner is gone. Remove and try again; a racing starter loses on 'wx'.
      fs.rmSync(file, { force: true });
    }
  }
  throw new LifeboatError('CATALOG_LOCKED', { verb: 'start', thing: 'agent for', where: home, cause: 'the lock file keeps changing; another agent is starting' });
}

function readPid(file: string): number | null {
  try {
    const n = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isFinite(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}
