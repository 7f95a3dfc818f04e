import { LifeboatError } from '../../errors/lifeboat-error.ts';
import type { ErrorCode } from '../../errors/codes.ts';

// smbclient reports failures as NT_STATUS_* words; these are the ones an operator can act on.
const CODES: Record<string, { code: ErrorCode; cause: string }> = {
  NT_STATUS_LOGON_FAILURE: { code: 'TARGET_AUTH_FAILED', cause: 'the server refused the user name or password' },
  NT_STATUS_ACCOUNT_LOCKED_OUT: { code: 'TARGET_AUTH_FAILED', cause: 'the account is locked out' },
  NT_STATUS_ACCOUNT_DISABLED: { code: 'TARGET_AUTH_FAILED', cause: 'the account is disabled' },
  NT_STATUS_PASSWORD_EXPIRED: { code: 'TARGET_AUTH_FAILED', cause: 'the password has expired' },
  NT_STATUS_BAD_NETWORK_NAME: { code: 'TARGET_MISSING', cause: 'the server has no share of that name' },
  NT_STATUS_OBJECT_PATH_NOT_FOUND: { code: 'TARGET_MISSING', cause: 'no such folder on the share' },
  NT_STATUS_OBJECT_NAME_NOT_FOUND: { code: 'TARGET_MISSING', cause: 'no such file or folder on the share' },
  NT_STATUS_NO_SUCH_FILE: { code: 'TARGET_MISSING', cause: 'no such file or folder on the share' },
  NT_STATUS_NOT_A_DIRECTORY: { code: 'TARGET_MISSING', cause: 'a part of the path is not a folder' },
  NT_STATUS_ACCESS_DENIED: { code: 'TARGET_NOT_WRITABLE', cause: 'access denied by the server' },
  NT_STATUS_MEDIA_WRITE_PROTECTED: { code: 'TARGET_NOT_WRITABLE', cause: 'the share is read-only' },
  NT_STATUS_DISK_FULL: { code: 'TARGET_FULL', cause: 'no space left on the share' },
  NT_STATUS_QUOTA_EXCEEDED: { code: 'TARGET_FULL', cause: 'the quota on the share is exhausted' },
  NT_STATUS_CONNECTION_REFUSED: { code: 'TARGET_UNREACHABLE', cause: 'the server refused the connection' },
  NT_STATUS_HOST_UNREACHABLE: { code: 'TARGET_UNREACHABLE', cause: 'the server cannot be reached' },
  NT_STATUS_NETWORK_UNREACHABLE: { code: 'TARGET_UNREACHABLE', cause: 'the network cannot be reached' },
  NT_STATUS_IO_TIMEOUT: { code: 'TARGET_UNREACHABLE', cause: 'the server did not answer in time' },
  NT_STATUS_CONNECTION_RESET: { code: 'TARGET_UNREACHABLE', cause: 'the connection was reset' },
  NT_STATUS_CONNECTION_DISCONNECTED: { code: 'TARGET_UNREACHABLE', cause: 'the connection was lost' },
  NT_STATUS_END_OF_FILE: { code: 'TARGET_UNREACHABLE', cause: 'the connection ended early' },
};

export const NOT_FOUND_STATUSES = new Set(['NT_STATUS_OBJECT_NAME_NOT_FOUND', 'NT_STATUS_OBJECT_PATH_NOT_FOUND', 'NT_STATUS_NO_SUCH_FILE', 'NT_STATUS_NOT_A_DIRECTORY']);

/** Every NT_STATUS word in smbclient's output, in order. */
export function ntStatuses(output: string): string[] {
  return [...output.matchAll(/\bNT_STATUS_[A-Z0-9_]+\b/g)].map((m) => m[0]);
}

export function fromNtStatus(status: string, verb: string, thing: string, where: string): LifeboatError {
  const known = CODES[status];
  return new LifeboatError(known?.code ?? 'INTERNAL', { verb, thing, where, cause: known ? `${known.cause} (${status})` : `the server reported ${status}` });
}
