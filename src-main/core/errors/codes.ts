// The one error-code table. Every failure Lifeboat reports carries one of these codes; the CLI maps
// `exit`, the API maps `http`, and retry decorators read `retryable`. Add a code here, never ad hoc.
export const ERROR_CODES = {
  USAGE: { exit: 2, http: 400, retryable: false, summary: 'the request was malformed' },
  NOT_FOUND: { exit: 1, http: 404, retryable: false, summary: 'no such item' },
  ALREADY_EXISTS: { exit: 1, http: 409, retryable: false, summary: 'an item of that name exists' },
  CONFIG_INVALID: { exit: 1, http: 400, retryable: false, summary: 'the configuration is not valid' },
  CONFIRMATION_REQUIRED: { exit: 2, http: 409, retryable: false, summary: 'an explicit confirmation is required' },
  UNAUTHORIZED: { exit: 1, http: 401, retryable: false, summary: 'authentication is required' },
  FORBIDDEN: { exit: 1, http: 403, retryable: false, summary: 'the role does not allow this' },
  BUSY: { exit: 1, http: 409, retryable: true, summary: 'the item is in use by another run' },

  SOURCE_UNREACHABLE: { exit: 1, http: 502, retryable: true, summary: 'the database server did not answer' },
  SOURCE_AUTH_FAILED: { exit: 1, http: 502, retryable: false, summary: 'the database server refused the login' },
  DATABASE_MISSING: { exit: 1, http: 404, retryable: false, summary: 'the database does not exist' },
  ENGINE_FAILED: { exit: 1, http: 502, retryable: false, summary: 'the database engine reported an error' },
  ENGINE_UNSUPPORTED: { exit: 1, http: 400, retryable: false, summary: 'the engine cannot do this' },
  TOOL_MISSING: { exit: 1, http: 500, retryable: false, summary: 'a client tool was not found' },
  TOOL_TOO_OLD: { exit: 1, http: 500, retryable: false, summary: 'a client tool is older than the server' },
  STAGING_DENIED: { exit: 1, http: 500, retryable: false, summary: 'the server cannot write to the staging folder' },
  CHAIN_BROKEN: { exit: 1, http: 409, retryable: false, summary: 'the backup chain has a gap' },

  TARGET_MISSING: { exit: 1, http: 502, retryable: false, summary: 'the target location does not exist' },
  TARGET_NOT_WRITABLE: { exit: 1, http: 502, retryable: false, summary: 'the target location is not writable' },
  TARGET_FULL: { exit: 1, http: 507, retryable: false, summary: 'the target has no space left' },
  TARGET_UNREACHABLE: { exit: 1, http: 502, retryable: true, summary: 'the target did not answer' },
  TARGET_AUTH_FAILED: { exit: 1, http: 502, retryable: false, summary: 'the target refused the credentials' },
  HOST_KEY_UNKNOWN: { exit: 1, http: 409, retryable: false, summary: 'the server host key has not been approved' },
  HOST_KEY_CHANGED: { exit: 1, http: 409, retryable: false, summary: 'the server host key changed' },
  MEDIA_ABSENT: { exit: 1, http: 409, retryable: false, summary: 'no disk of the rotation set is present' },
  OBJECT_NOT_FOUND: { exit: 1, http: 404, retryable: false, summary: 'no such object on the target' },

  VERIFY_MISMATCH: { exit: 3, http: 409, retryable: false, summary: 'a stored file does not match its manifest' },
  INTEGRITY_GATE: { exit: 3, http: 409, retryable: false, summary: 'a file needed for the restore failed its integrity check' },
  PROBE_MISMATCH: { exit: 3, http: 409, retryable: false, summary: 'restored row counts differ from the backup' },
  DRILL_CHECK_FAILED: { exit: 3, http: 409, retryable: false, summary: 'a check of the restore drill failed' },
  DECRYPT_FAILED: { exit: 1, http: 400, retryable: false, summary: 'the set could not be decrypted' },
  MANIFEST_INVALID: { exit: 1, http: 422, retryable: false, summary: 'a MANIFEST.json is malformed' },

  CATALOG_CORRUPT: { exit: 1, http: 500, retryable: false, summary: 'the catalog file is damaged' },
  CATALOG_TOO_NEW: { exit: 1, http: 500, retryable: false, summary: 'the catalog was written by a newer Lifeboat' },
  CATALOG_LOCKED: { exit: 1, http: 409, retryable: true, summary: 'another Lifeboat process owns the catalog' },
  INTERRUPTED: { exit: 1, http: 500, retryable: true, summary: 'the work was interrupted' },
  INTERNAL: { exit: 1, http: 500, retryable: false, summary: 'an unexpected internal error' },
  HOST_NOT_ALLOWED: { exit: 1, http: 403, retryable: false, summary: 'the request did not name this machine as its host' },
  AGENT_NOT_RUNNING: { exit: 1, http: 503, retryable: true, summary: 'no Lifeboat agent answers for this catalog' },
  NOTIFY_FAILED: { exit: 1, http: 502, retryable: true, summary: 'the notification could not be delivered' },
  SERVICE_INSTALL_FAILED: { exit: 1, http: 500, retryable: false, summary: 'the service could not be installed' },
  PORT_IN_USE: { exit: 1, http: 500, retryable: true, summary: 'another program listens on that port' },
  ACCOUNT_LOCKED: { exit: 1, http: 423, retryable: false, summary: 'the account is locked after repeated failed sign-ins' },
  SESSION_LOCKED: { exit: 1, http: 401, retryable: false, summary: 'the session was locked after inactivity; sign in again' },
  SIGNATURE_REQUIRED: { exit: 1, http: 403, retryable: false, summary: 'a valid electronic signature is required' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
