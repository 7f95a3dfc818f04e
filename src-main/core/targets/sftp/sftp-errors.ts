import { LifeboatError } from '../../errors/lifeboat-error.ts';
import type { ErrorCode } from '../../errors/codes.ts';
import { StallError } from './stall-watch.ts';

// SFTP v3 status codes (draft-ietf-secsh-filexfer-02 §7) as ssh2 reports them in err.code.
export const SFTP_NO_SUCH_FILE = 2;
export const SFTP_PERMISSION_DENIED = 3;
export const SFTP_FAILURE = 4;

export function sftpStatus(err: unknown): number | undefined {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'number' ? c : undefined;
}

/**
 * Turns an ssh2 / SFTP failure into the table's code. Errors without an SFTP status come from the
 * transport (the session died, a keep-alive timed out, the stall watchdog fired): those are
 * TARGET_UNREACHABLE, which is retryable.
 */
export function fromSftp(err: unknown, verb: string, thing: string, where: string, opts: { full?: boolean } = {}): LifeboatError {
  if (err instanceof LifeboatError) return err;
  const status = sftpStatus(err);
  const words = (err as Error)?.message ?? String(err);
  let code: ErrorCode;
  let cause: string;
  if (err instanceof StallError) {
    code = 'TARGET_UNREACHABLE';
    cause = words;
  } else if (status === undefined) {
    code = 'TARGET_UNREACHABLE';
    cause = `the SSH connection was lost (${words})`;
  } else if (status === SFTP_NO_SUCH_FILE) {
    code = 'TARGET_MISSING';
    cause = 'no such file or folder on the server';
  } else if (status === SFTP_PERMISSION_DENIED) {
    code = 'TARGET_NOT_WRITABLE';
    cause = 'permission denied by the server';
  } else if (opts.full) {
    code = 'TARGET_FULL';
    cause = 'no space left on the server';
  } else {
    code = 'INTERNAL';
    cause = `the server reported: ${words}`;
  }
  return new LifeboatError(code, { verb, thing, where, cause });
}
