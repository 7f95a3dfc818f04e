import { LifeboatError } from './lifeboat-error.ts';
import type { ErrorCode } from './codes.ts';

const ERRNO_CODES: Record<string, ErrorCode> = {
  ENOENT: 'TARGET_MISSING',
  ENOTDIR: 'TARGET_MISSING',
  EACCES: 'TARGET_NOT_WRITABLE',
  EPERM: 'TARGET_NOT_WRITABLE',
  EROFS: 'TARGET_NOT_WRITABLE',
  ENOSPC: 'TARGET_FULL',
  EDQUOT: 'TARGET_FULL',
  EFBIG: 'TARGET_FULL',
};

/** Turns a file-system error into the table's code, keeping the OS words as the cause. */
export function fromErrno(err: unknown, verb: string, thing: string, where: string): LifeboatError {
  const errno = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  const code = ERRNO_CODES[errno] ?? 'INTERNAL';
  const cause = errno ? `${errno}: ${describeErrno(errno, err)}` : String(err);
  return new LifeboatError(code, { verb, thing, where, cause });
}

function describeErrno(errno: string, err: unknown): string {
  switch (errno) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'the file system is read-only';
    case 'ENOSPC': return 'no space left on the device';
    case 'EDQUOT': return 'the disk quota is exhausted';
    default: return (err as Error).message;
  }
}
