/** The default new name: never the original, so a restore cannot overwrite anything unless asked to. */
export function defaultRestoreName(database: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}_${p(now.getHours())}${p(now.getMinutes())}`;
  return `${database}_restored_${stamp}`.toLowerCase().slice(0, 63);
}

/** The restore's phases in the order they happen, in words. */
export const PHASE_WORDS: Record<string, string> = {
  integrity: 'Checking every file against its SHA-256',
  'safety-backup': 'Taking a safety backup of the current database',
  restore: 'Restoring',
  'post-checks': 'Checking row counts against the backup',
  swap: 'Putting the restored database in place',
};
