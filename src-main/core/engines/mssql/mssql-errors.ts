import { LifeboatError, isLifeboatError } from '../../errors/lifeboat-error.ts';
import type { ErrorCode } from '../../errors/codes.ts';

/** One server message of an error chain (mssql keeps the earlier ones in `precedingErrors`). */
export interface ServerMessage { number: number; message: string }

/** The whole chain, oldest first: SQL Server explains in the first message (3201, 4208) and concludes with 3013. */
export function messageChain(err: unknown): ServerMessage[] {
  const e = err as { number?: number; message?: string; precedingErrors?: { number?: number; message?: string }[]; originalError?: { number?: number; message?: string } };
  const all = [...(e.precedingErrors ?? []), e];
  return all
    .map((x) => ({ number: typeof x.number === 'number' ? x.number : (x as typeof e).originalError?.number ?? 0, message: String(x.message ?? '') }))
    .filter((x) => x.message.length > 0);
}

export interface ErrorContext {
  verb: string;
  thing: string;
  where: string;
  /** For staging errors: whose permission is missing and on what. */
  staging?: { serverPath: string; serviceAccount: string | null };
}

const CHAIN_ERRORS = new Set([3136, 3117, 4305, 4326, 4214, 3159, 3154]);

/** Maps an mssql/tedious failure to the error table, keeping SQL Server's own words and adding what to do. */
export function mssqlError(err: unknown, c: ErrorContext): LifeboatError {
  if (isLifeboatError(err)) return err;
  const code = (err as { code?: string }).code ?? '';
  const chain = messageChain(err);
  const numbers = chain.map((m) => m.number).filter((n) => n > 0);
  const cause = chain.map((m) => (m.number ? `${m.message} (error ${m.number})` : m.message)).join(' ') || String(err);
  const make = (ec: ErrorCode, hint?: string) => new LifeboatError(ec, { verb: c.verb, thing: c.thing, where: c.where, cause, ...(hint ? { hint } : {}), details: { sqlErrors: numbers } });

  if (code === 'ELOGIN' || numbers.includes(18456) || numbers.includes(18452)) {
    return make('SOURCE_AUTH_FAILED', numbers.includes(18452) || /untrusted domain/i.test(cause)
      ? 'the server refused the Windows login: check the domain, user and password, or use a SQL login'
      : 'check the login name and password of the source; the SQL Server error log names the exact reason (state) of error 18456');
  }
  if (code === 'EENCRYPT') return make('SOURCE_UNREACHABLE', "the server and Lifeboat disagree on encryption: enable TLS on the server, or set the source's encrypt option to 'off' on a trusted network");
  if (['ESOCKET', 'ETIMEOUT', 'EINSTLOOKUP', 'ECONNCLOSED', 'ENOCONN'].includes(code) && !numbers.length) {
    return make('SOURCE_UNREACHABLE', 'check that SQL Server is running, that TCP/IP is enabled in SQL Server Configuration Manager, and the host, port (or instance name and SQL Browser) and firewall');
  }
  if (code === 'ECANCEL') return make('INTERRUPTED');
  if (numbers.includes(3201) || numbers.includes(3634)) {
    const os = /Operating system error (\d+)/i.exec(cause)?.[1];
    const who = c.staging?.serviceAccount ? `the SQL Server service account (${c.staging.serviceAccount})` : 'the SQL Server service account';
    const folder = c.staging?.serverPath ?? 'the staging folder';
    if (os === '5') {
      return make('STAGING_DENIED', `SQL Server writes and reads backup files as ${who}, not as you or Lifeboat: grant that account Modify permission on ${folder} (folder Properties → Security), or choose a staging folder it can write`);
    }
    if (os === '3' || os === '2') {
      return make('STAGING_DENIED', `the folder ${folder} does not exist as the SQL Server machine sees it: create it there (a path is resolved on the server, not on this machine) and give ${who} Modify permission`);
    }
    return make('STAGING_DENIED', `check that ${who} can write to ${folder}`);
  }
  if (numbers.includes(4208)) return make('ENGINE_UNSUPPORTED', 'the database uses the SIMPLE recovery model; switch it to FULL and take a full backup to start a log chain');
  if (numbers.includes(1844)) return make('ENGINE_UNSUPPORTED', 'this edition cannot compress backups; Lifeboat compresses while shipping instead');
  if (numbers.some((n) => n === 911 || n === 4060 || n === 2520)) return make('DATABASE_MISSING', 'check the database name; "lifeboat source test" lists the databases');
  if (numbers.some((n) => CHAIN_ERRORS.has(n))) return make('CHAIN_BROKEN', 'the backups do not form an unbroken chain for this restore; plan the restore again from the catalog');
  if (numbers.some((n) => n === 3189 || n === 3241 || n === 3183)) return make('VERIFY_MISMATCH', 'the backup file is damaged; restore from another copy');
  if (numbers.includes(1834)) return make('ALREADY_EXISTS', 'a database file of that name is in use; restore under another name');
  if (numbers.includes(262) || numbers.includes(3110) || numbers.includes(229)) return make('ENGINE_FAILED', 'the login needs the db_backupoperator role (backups) or dbcreator (restores)');
  return make('ENGINE_FAILED');
}
