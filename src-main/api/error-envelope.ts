import { ERROR_CODES, isErrorCode, type ErrorCode } from '../core/errors/codes.ts';
import { isLifeboatError, LifeboatError } from '../core/errors/lifeboat-error.ts';
import { redact } from '../core/util/redact.ts';

/** What every API error looks like to a client: the code table's code, the one-template message, and the HTTP status. */
export interface ErrorEnvelope {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  httpStatus: number;
  hint?: string;
  /** For malformed input: the dotted paths of the fields that failed. */
  fields?: string[];
}

interface ZodLikeIssue { path: PropertyKey[]; message: string }

function zodIssues(err: unknown): ZodLikeIssue[] | null {
  const issues = (err as { issues?: unknown } | null)?.issues;
  return Array.isArray(issues) ? (issues as ZodLikeIssue[]) : null;
}

// tRPC's own codes for failures that happen before a procedure runs.
const TRPC_CODES: Record<string, ErrorCode> = {
  NOT_FOUND: 'NOT_FOUND', BAD_REQUEST: 'USAGE', PARSE_ERROR: 'USAGE', METHOD_NOT_SUPPORTED: 'USAGE', UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN', PAYLOAD_TOO_LARGE: 'USAGE', UNSUPPORTED_MEDIA_TYPE: 'USAGE', CONFLICT: 'BUSY',
};

const TRPC_WORDS: Record<string, string> = {
  PAYLOAD_TOO_LARGE: 'the request body is larger than the API accepts (1 MiB)',
  PARSE_ERROR: 'the request body is not valid JSON',
  METHOD_NOT_SUPPORTED: 'wrong HTTP method (queries are GET, mutations POST)',
  UNSUPPORTED_MEDIA_TYPE: 'the body must be application/json',
};

/** Turns whatever a procedure threw (a LifeboatError, a zod failure, a tRPC error) into the envelope. */
export function envelopeOf(error: { code?: string; message: string; cause?: unknown }, path?: string): ErrorEnvelope {
  const cause = error.cause;
  if (isLifeboatError(cause) || isLifeboatError(error)) {
    const e = (isLifeboatError(cause) ? cause : error) as LifeboatError;
    return { code: e.code, message: redact(e.message), retryable: ERROR_CODES[e.code].retryable, httpStatus: ERROR_CODES[e.code].http, ...(e.hint ? { hint: redact(e.hint) } : {}) };
  }
  const issues = zodIssues(cause);
  if (issues) {
    const fields = issues.map((i) => i.path.map(String).join('.') || '(input)');
    const e = new LifeboatError('USAGE', { verb: 'accept', thing: 'request', where: path ?? 'api', cause: issues.map((i, n) => `${fields[n]}: ${i.message}`).join('; ') });
    return { code: 'USAGE', message: e.message, retryable: false, httpStatus: 400, fields: [...new Set(fields)] };
  }
  const code: ErrorCode = (error.code ? TRPC_CODES[error.code] : undefined) ?? (isErrorCode(error.code) ? error.code : 'INTERNAL');
  const words = error.code ? TRPC_WORDS[error.code] : undefined;
  const said = words ?? (error.message && error.message !== error.code ? redact(error.message) : ERROR_CODES[code].summary);
  const message = new LifeboatError(code, { verb: code === 'INTERNAL' ? 'serve' : 'accept', thing: 'request', where: path ?? 'api', cause: said }).message;
  return { code, message, retryable: ERROR_CODES[code].retryable, httpStatus: ERROR_CODES[code].http };
}
