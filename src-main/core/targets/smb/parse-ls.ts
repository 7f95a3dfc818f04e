export interface LsEntry { dir: string; name: string; isDir: boolean; size: number; mtime: Date }

// "  name with spaces    A   1234  Wed Nov 25 19:10:13 2026" (times in UTC: smbclient runs with TZ=UTC).
const ENTRY = /^  (.+?)\s+([A-Z]*)\s+(\d+)\s+(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4})$/;

/**
 * Parses `recurse` + `ls` output: entries of the starting folder first, then blocks headed by a
 * backslash path relative to the share ("\a b\c"). Returned dirs are '/'-separated, relative to the share.
 */
export function parseRecursiveLs(text: string, startDir: string): LsEntry[] {
  const out: LsEntry[] = [];
  let dir = startDir;
  for (const line of text.split('\n')) {
    if (line.startsWith('\\')) {
      dir = line.slice(1).replace(/\\/g, '/').trimEnd();
      continue;
    }
    const m = ENTRY.exec(line.replace(/\r$/, ''));
    if (!m) continue;
    const name = m[1]!;
    if (name === '.' || name === '..') continue;
    out.push({ dir, name, isDir: m[2]!.includes('D'), size: Number(m[3]), mtime: new Date(`${m[4]} UTC`) });
  }
  return out;
}
