import { ERROR_CODES, type ErrorCode } from './codes.ts';

export interface LifeboatErrorInit {
  verb: string;
  thing: string;
  where?: string;
  cause?: string;
  /** What the operator should do next, in plain words. */
  hint?: string;
  details?: Record<string, unknown>;
}

/**
 * The one error class. Messages follow "unable to <verb> <thing> '<where>': <cause>" so that every failure
 * reads the same in the CLI, the log, an e-mail and the GUI.
 */
export class LifeboatError extends Error {
  override readonly name = 'LifeboatError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, init: LifeboatErrorInit) {
    const where = init.where !== undefined ? ` '${init.where}'` : '';
    const cause = init.cause ?? ERROR_CODES[code].summary;
    super(`unable to ${init.verb} ${init.thing}${where}: ${cause}`);
    this.code = code;
    this.retryable = ERROR_CODES[code].retryable;
    if (init.hint !== undefined) this.hint = init.hint;
    if (init.details !== undefined) this.details = init.details;
  }

  toJSON(): { code: ErrorCode; message: string; retryable: boolean; hint?: string } {
    return { code: this.code, message: this.message, retryable: this.retryable, ...(this.hint ? { hint: this.hint } : {}) };
  }
}

/** Errors lose their class across processes and workers: compare by name and code. */
export function isLifeboatError(err: unknown, code?: ErrorCode): err is LifeboatError {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === 'LifeboatError' && (code === undefined || e.code === code);
}

export function causeOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
