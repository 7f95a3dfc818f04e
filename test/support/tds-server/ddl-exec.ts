import type { ParamValue } from './requests.ts';
import { dottedName, isWord, SqlSyntaxError, valueOf, type Tok } from './tsql-lexer.ts';
import { msg } from './errors.ts';
import type { DbState, ServerModel } from './model.ts';
import { errors, info, type Out } from './out.ts';

// DBCC CHECKDB, DROP/ALTER/CREATE DATABASE, CREATE TABLE and INSERT.

export function dbcc(m: ServerModel, toks: Tok[]): Out[] {
  if (!isWord(toks[1], 'CHECKDB') || toks[2]?.v !== '(') throw new SqlSyntaxError("Incorrect syntax near 'DBCC'.");
  const name = toks[3]!.v;
  const db = m.db(name);
  if (!db || db.state !== 'ONLINE') return errors([msg.dbccMissing(name)]);
  const noInfo = toks.some((t) => isWord(t, 'NO_INFOMSGS'));
  if (!db.corrupt) return noInfo ? [] : [info(8989, `CHECKDB found 0 allocation errors and 0 consistency errors in database '${db.name}'.`)];
  return [
    { kind: 'error', number: 8928, class: 16, message: 'Object ID 901578250, index ID 1, partition ID 72057594043760640, alloc unit ID 72057594049658880 (type In-row data): Page (1:312) could not be processed.  See other errors for details.' },
    { kind: 'error', number: 8939, class: 16, message: 'Table error: Object ID 901578250, index ID 1, partition ID 72057594043760640, alloc unit ID 72057594049658880 (type In-row data), page (1:312). Test (IS_OFF (BUF_IOERR, pBUF->bstat)) failed. Values are 2057 and -4.' },
    info(8989, `CHECKDB found 0 allocation errors and 2 consistency errors in database '${db.name}'.`),
    info(8958, `repair_allow_data_loss is the minimum repair level for the errors found by DBCC CHECKDB (${db.name}).`),
  ];
}

export function drop(m: ServerModel, toks: Tok[]): Out[] {
  if (!isWord(toks[1], 'DATABASE') || !toks[2]) throw new SqlSyntaxError("Incorrect syntax near 'DROP'.");
  const name = toks[2].v;
  if (!m.db(name)) return errors([msg.cannotDrop(name)]);
  m.databases.delete(name.toLowerCase());
  return [];
}

export function alter(m: ServerModel, toks: Tok[]): Out[] {
  if (!isWord(toks[1], 'DATABASE') || !toks[2] || !isWord(toks[3], 'SET', 'MODIFY')) throw new SqlSyntaxError("Incorrect syntax near 'ALTER'.");
  const db = m.db(toks[2].v);
  if (!db) return errors([msg.noDatabase(toks[2].v)]);
  if (isWord(toks[3], 'MODIFY')) {
    if (!isWord(toks[4], 'NAME') || toks[5]?.v !== '=' || !toks[6]) throw new SqlSyntaxError("Incorrect syntax near 'MODIFY'.");
    const to = toks[6].v;
    if (m.db(to)) return errors([{ number: 1801, class: 16, message: `Database '${to}' already exists. Choose a different database name.` }]);
    m.databases.delete(db.name.toLowerCase());
    db.name = to;
    m.databases.set(to.toLowerCase(), db);
    return [info(5022, `The database name '${to}' has been set.`)];
  }
  if (isWord(toks[4], 'RECOVERY') && toks[5]?.t === 'word') {
    const model = toks[5].v.toUpperCase() as DbState['recoveryModel'];
    if (model === 'SIMPLE') db.lastLogBackupLsn = null;
    db.recoveryModel = model;
  }
  return [];
}

/** CREATE DATABASE [x] and CREATE TABLE [db].schema.table (…): enough for the live suite's setup to run here too. */
export function create(m: ServerModel, toks: Tok[]): Out[] {
  if (isWord(toks[1], 'DATABASE') && toks[2]) {
    if (m.db(toks[2].v)) return errors([{ number: 1801, class: 16, message: `Database '${toks[2].v}' already exists. Choose a different database name.` }]);
    m.addDatabase({ name: toks[2].v });
    return [];
  }
  if (isWord(toks[1], 'TABLE')) {
    const [db, schema, table] = dottedName(toks, 2);
    const d = db ? m.db(db) : undefined;
    if (!d || !schema || !table) return errors([msg.noDatabase(db ?? '?')]);
    d.tables.set(`${schema}.${table}`, 0);
    return [];
  }
  throw new SqlSyntaxError("Incorrect syntax near 'CREATE'.");
}

/** INSERT INTO [db].schema.table … SELECT TOP (@n) …: n rows, one activity record. */
export function insert(m: ServerModel, toks: Tok[], params: Record<string, ParamValue>): Out[] {
  const [db, schema, table] = dottedName(toks, isWord(toks[1], 'INTO') ? 2 : 1);
  const d = db ? m.db(db) : undefined;
  if (!d || !schema || !table || !d.tables.has(`${schema}.${table}`)) return errors([msg.invalidObject([db, schema, table].join('.'))]);
  const top = toks.findIndex((t) => isWord(t, 'TOP'));
  const n = top >= 0 ? Number(valueOf(toks[top + 2], params)) : 1;
  m.write(d.name, `${schema}.${table}`, n);
  return [];
}
