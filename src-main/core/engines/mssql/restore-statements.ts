import { statement, type Statement, type StatementParam } from './statement.ts';

export function verifyOnlyStatement(serverPath: string): Statement {
  return statement('RESTORE VERIFYONLY FROM DISK = @path WITH CHECKSUM', [{ name: 'path', kind: 'string', value: serverPath }]);
}

export function fileListStatement(serverPath: string): Statement {
  return statement('RESTORE FILELISTONLY FROM DISK = @path', [{ name: 'path', kind: 'string', value: serverPath }]);
}

export interface MoveClause { logicalName: string; physicalPath: string }

export interface RestoreStepInput {
  database: string;
  serverPath: string;
  kind: 'database' | 'log';
  moves?: MoveClause[];
  replace?: boolean;
  recovery: boolean;
  /** Server-local time text for STOPAT (the last log only). */
  stopAt?: string | null;
}

/** One step of the chain: MOVE every logical file (first step), NORECOVERY until the end, STOPAT on the last log. */
export function restoreStepStatement(i: RestoreStepInput): Statement {
  const params: StatementParam[] = [
    { name: 'db', kind: 'ident', value: i.database },
    { name: 'path', kind: 'string', value: i.serverPath },
  ];
  const opts: string[] = [];
  (i.moves ?? []).forEach((m, n) => {
    opts.push(`MOVE @m${n} TO @p${n}`);
    params.push({ name: `m${n}`, kind: 'string', value: m.logicalName }, { name: `p${n}`, kind: 'string', value: m.physicalPath });
  });
  if (i.replace) opts.push('REPLACE');
  if (i.stopAt) {
    opts.push('STOPAT = @stopat');
    // STOPAT takes a varchar/char/datetime variable; ISO 8601 text converts the same under every language setting.
    params.push({ name: 'stopat', kind: 'varchar', value: i.stopAt });
  }
  opts.push(i.recovery ? 'RECOVERY' : 'NORECOVERY', 'CHECKSUM', 'STATS = 10');
  return statement(`RESTORE ${i.kind === 'log' ? 'LOG' : 'DATABASE'} @db FROM DISK = @path WITH ${opts.join(', ')}`, params);
}

export function recoverStatement(database: string): Statement {
  return statement('RESTORE DATABASE @db WITH RECOVERY', [{ name: 'db', kind: 'ident', value: database }]);
}
