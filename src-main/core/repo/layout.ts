import { safeSegment } from '../targets/object-name.ts';
import { utcStamp } from '../util/ids.ts';

export const REPO_DIR = 'lifeboat';
export const MANIFEST = 'MANIFEST.json';
export const REPO_JSON = `${REPO_DIR}/REPO.json`;

/** lifeboat/<server>/<database>/<UTC stamp>_<type>: readable by a person browsing the disk in a disaster. */
export function setPath(server: string, database: string, startedAt: Date, type: string, setId: string): string {
  // The id's tail keeps two sets started in the same second apart.
  return `${REPO_DIR}/${safeSegment(server)}/${safeSegment(database)}/${utcStamp(startedAt)}_${type}_${setId.slice(-6)}`;
}

export function manifestPath(setDir: string): string {
  return `${setDir}/${MANIFEST}`;
}
