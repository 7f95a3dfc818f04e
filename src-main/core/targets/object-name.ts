import { LifeboatError } from '../errors/lifeboat-error.ts';

/**
 * Object names are relative, '/'-separated, and may not climb out of the target root. Checked at the seam
 * so a hostile MANIFEST.json cannot make a driver read or remove outside its folder.
 */
export function checkObjectName(name: string): string {
  const parts = name.split('/');
  const bad = name === '' || name.startsWith('/') || name.includes('\\') || name.includes('\0')
    || parts.some((p) => p === '' || p === '.' || p === '..');
  if (bad) throw new LifeboatError('USAGE', { verb: 'use', thing: 'object name', where: name, cause: 'names must be relative paths without "..", "\\" or empty parts' });
  return name;
}

/** A readable, portable folder or file name for any database or server name (NTFS, exFAT, ext4, SMB). */
export function safeSegment(raw: string): string {
  const cleaned = raw.normalize('NFC').replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/[. ]+$/, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '_' : cleaned.slice(0, 120);
}
