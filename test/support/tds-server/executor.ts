import type { ParamValue } from './requests.ts';
import { dottedName, isWord, lex, splitStatements, SqlSyntaxError, valueOf, type Tok } from './tsql-lexer.ts';
import { msg } from './errors.ts';
import type { ServerModel } from './model.ts';
import { col, errors, type Out } from './out.ts';
import { countRows, databases, history, largestTables, serverProperties } from './catalog-exec.ts';
import { backup } from './backup-exec.ts';
import { restore } from './restore-exec.ts';
import { alter, create, dbcc, drop, insert } from './ddl-exec.ts';

export type { Out } from './out.ts';

/** Executes one request (a batch or an sp_executesql call) against the model; returns what the server sends. */
export function execute(model: ServerModel, sql: string, params: Record<string, ParamValue>, dbContext = 'master'): Out[] {
  let statements: Tok[][];
  try {
    statements = splitStatements(lex(sql));
  } catch (err) {
    return errors([msg.raw((err as Error).message)]);
  }
  const out: Out[] = [];
  for (const toks of statements) {
    try {
      out.push(...executeOne(model, toks, sql, params, dbContext));
    } catch (err) {
      if (err instanceof SqlSyntaxError) out.push(...errors([msg.raw(err.message)]));
      else throw err;
    }
  }
  return out;
}

function executeOne(model: ServerModel, toks: Tok[], sql: string, params: Record<string, ParamValue>, dbContext: string): Out[] {
  const first = toks[0];
  const text = sql.toLowerCase();
  if (isWord(first, 'SET', 'BEGIN', 'COMMIT', 'ROLLBACK')) return [];
  if (isWord(first, 'EXEC', 'EXECUTE')) return execInDatabase(model, toks, params);
  if (isWord(first, 'BACKUP')) return backup(model, toks, params);
  if (isWord(first, 'RESTORE')) return restore(model, toks, params);
  if (isWord(first, 'DBCC')) return dbcc(model, toks);
  if (isWord(first, 'DROP')) return drop(model, toks);
  if (isWord(first, 'ALTER')) return alter(model, toks);
  if (isWord(first, 'CREATE')) return create(model, toks);
  if (isWord(first, 'INSERT')) return insert(model, toks, params);
  if (isWord(first, 'SELECT')) {
    if (toks.length === 2 && toks[1]!.t === 'num') return [{ kind: 'rows', columns: [col('', 'int')], rows: [[Number(toks[1]!.v)]] }];
    if (text.includes('serverproperty(')) return serverProperties(model);
    if (text.includes('sys.dm_server_services')) return [{ kind: 'rows', columns: [col('service_account', 'nvarchar')], rows: [[model.serviceAccount]] }];
    if (text.includes('sys.dm_exec_connections')) return [{ kind: 'rows', columns: [col('encrypt_option', 'nvarchar')], rows: [['FALSE']] }];
    if (text.includes('from sys.databases')) return databases(model, params);
    if (text.includes('msdb.dbo.backupset')) return history(model, text, params);
    if (text.includes('.sys.tables')) return largestTables(model, toks, params);
    if (text.includes('count_big(*)') || text.includes('count(*)')) return countRows(model, toks, dbContext, text.includes('cast(count_big'));
  }
  throw new SqlSyntaxError(`Incorrect syntax near '${first && 'v' in first ? first.v : ''}'. (The TDS test server does not model this statement.)`);
}

/** EXEC [db].sys.sp_executesql @q: the inner statement runs with [db] as its current database. */
function execInDatabase(model: ServerModel, toks: Tok[], params: Record<string, ParamValue>): Out[] {
  const [db, schema, proc] = dottedName(toks, 1);
  if (!db || schema?.toLowerCase() !== 'sys' || proc?.toLowerCase() !== 'sp_executesql') throw new SqlSyntaxError("Incorrect syntax near 'EXEC'. (The TDS test server models only EXEC [db].sys.sp_executesql.)");
  const d = model.db(db);
  if (!d || d.state !== 'ONLINE') return errors([msg.noDatabase(db)]);
  const inner = toks.find((t, i) => i > 5 && (t.t === 'var' || t.t === 'str'));
  return execute(model, valueOf(inner, params), {}, d.name);
}
