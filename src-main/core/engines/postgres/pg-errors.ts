import { LifeboatError, causeOf } from '../../errors/lifeboat-error.ts';
import { ToolExitError, lastLines } from '../../util/child.ts';

/** Maps node-postgres and libpq-tool failures to the error table, keeping the server's own words. */
export function pgError(err: unknown, verb: string, thing: string, where: string): LifeboatError {
  if (err instanceof LifeboatError) return err;
  const e = err as { code?: string; message?: string };
  const text = err instanceof ToolExitError ? lastLines(err.stderr) : causeOf(err);
  const code = e.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN'].includes(code) || /could not connect|connection refused|timeout expired|could not translate host name|Connection terminated/i.test(text)) {
    return new LifeboatError('SOURCE_UNREACHABLE', { verb, thing, where, cause: text, hint: 'check that the server is running and reachable from this machine (host, port, firewall)' });
  }
  if (code === '28P01' || code === '28000' || /password authentication failed|no password supplied|authentication failed/i.test(text)) {
    return new LifeboatError('SOURCE_AUTH_FAILED', { verb, thing, where, cause: text, hint: 'check the user name and password of the source' });
  }
  if (code === '3D000' || /database ".*" does not exist/i.test(text)) {
    return new LifeboatError('DATABASE_MISSING', { verb, thing, where, cause: text, hint: 'check the database name; "lifeboat source test" lists the databases' });
  }
  if (code === '42501' || /permission denied/i.test(text)) {
    return new LifeboatError('ENGINE_FAILED', { verb, thing, where, cause: text, hint: 'grant the backup user the needed rights (for a full dump: read access to every table, or membership in pg_read_all_data)' });
  }
  return new LifeboatError('ENGINE_FAILED', { verb, thing, where, cause: text });
}
