import { nString, quoteName } from './quote.ts';

/** A parameter of a statement: `ident` values stand where SQL Server accepts a name variable (BACKUP DATABASE @db). */
export interface StatementParam {
  name: string;
  /** varchar where T-SQL documents only varchar/char/datetime variables (STOPAT). */
  kind: 'ident' | 'string' | 'varchar' | 'int';
  value: string | number;
}

/**
 * One T-SQL statement with its parameters, run through sp_executesql so no value is ever spliced into the
 * text. Names only appear in the text where T-SQL forbids a variable (DBCC, DROP, FROM), and then through
 * quoteName().
 */
export interface Statement {
  sql: string;
  params: StatementParam[];
}

export function statement(sql: string, params: StatementParam[] = []): Statement {
  return { sql, params };
}

/** The statement as a person would type it (for "show T-SQL", logs and the audit trail): parameters inlined, quoted. */
export function renderStatement(s: Statement): string {
  const byName = new Map(s.params.map((p) => [p.name, p]));
  return s.sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => {
    const p = byName.get(name);
    if (!p) return whole;
    if (p.kind === 'int') return String(p.value);
    if (p.kind === 'varchar') return "'" + String(p.value).replace(/'/g, "''") + "'";
    return p.kind === 'ident' ? quoteName(String(p.value)) : nString(String(p.value));
  });
}
