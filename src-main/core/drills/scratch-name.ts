import { randomBytes } from 'node:crypto';
import { utcStamp } from '../util/ids.ts';

export const SCRATCH_PREFIX = 'lifeboat_drill_';

/**
 * "lifeboat_drill_<db>_<stamp><rand>": lower case ASCII so it needs no quoting on either engine, within
 * PostgreSQL's 63 bytes, and recognisable to a DBA who finds one left on a server.
 */
export function scratchName(database: string, at: Date): string {
  const stamp = `${utcStamp(at).toLowerCase()}${randomBytes(2).toString('hex')}`;
  const db = database.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'db';
  return `${SCRATCH_PREFIX}${db.slice(0, 63 - SCRATCH_PREFIX.length - stamp.length - 1)}_${stamp}`;
}

/** Cleanup drops only databases that carry the drill prefix, whatever a damaged catalog row says. */
export function isScratchName(name: string): boolean {
  return name.startsWith(SCRATCH_PREFIX) && /^[a-z0-9_]+$/.test(name);
}
