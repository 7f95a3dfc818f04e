import { describe, expect, it } from 'vitest';
import { nString, quoteName } from '../../src-main/core/engines/mssql/quote.ts';
import { renderStatement } from '../../src-main/core/engines/mssql/statement.ts';
import { backupStatement, checkDbStatement, countRowsStatement, dropDatabaseStatement, largestTablesStatement } from '../../src-main/core/engines/mssql/backup-statements.ts';
import { restoreStepStatement, recoverStatement, verifyOnlyStatement } from '../../src-main/core/engines/mssql/restore-statements.ts';
import { planMoves } from '../../src-main/core/engines/mssql/plan-moves.ts';

const NASTY = "Plant ]'Ünïcødé; DROP DATABASE x--";

describe('T-SQL quoting', () => {
  it('quotes identifiers with QUOTENAME semantics and literals as N strings', () => {
    expect(quoteName(NASTY)).toBe("[Plant ]]'Ünïcødé; DROP DATABASE x--]");
    expect(quoteName('a]]b')).toBe('[a]]]]b]');
    expect(nString("O'Brien's ]")).toBe("N'O''Brien''s ]'");
    expect(() => quoteName('')).toThrow(/name is empty/);
    expect(() => quoteName('a\0b')).toThrow(/NUL/);
    expect(() => quoteName('x'.repeat(129))).toThrow(/longer than 128/);
  });

  it('passes names as parameters wherever SQL Server takes a variable', () => {
    const s = backupStatement({ database: NASTY, serverPath: "D:\\Staging\\it's.bak", type: 'diff', compression: true, label: 'lifeboat:run=r1', stats: 10 });
    expect(s.sql).toBe('BACKUP DATABASE @db TO DISK = @path WITH CHECKSUM, COMPRESSION, DIFFERENTIAL, INIT, FORMAT, NAME = @label, STATS = 10');
    expect(s.sql).not.toContain(NASTY);
    expect(s.params).toEqual([
      { name: 'db', kind: 'ident', value: NASTY },
      { name: 'path', kind: 'string', value: "D:\\Staging\\it's.bak" },
      { name: 'label', kind: 'string', value: 'lifeboat:run=r1' },
    ]);
    expect(renderStatement(s)).toBe(
      "BACKUP DATABASE [Plant ]]'Ünïcødé; DROP DATABASE x--] TO DISK = N'D:\\Staging\\it''s.bak' WITH CHECKSUM, COMPRESSION, DIFFERENTIAL, INIT, FORMAT, NAME = N'lifeboat:run=r1', STATS = 10");
  });

  it('quotes names into the text where T-SQL allows no variable', () => {
    expect(checkDbStatement(NASTY).sql).toBe("DBCC CHECKDB ([Plant ]]'Ünïcødé; DROP DATABASE x--]) WITH ALL_ERRORMSGS, NO_INFOMSGS");
    expect(dropDatabaseStatement(NASTY).sql).toBe("DROP DATABASE [Plant ]]'Ünïcødé; DROP DATABASE x--]");
    expect(countRowsStatement(NASTY, 'dbo', "Or]ders'").sql)
      .toBe("SELECT CAST(COUNT_BIG(*) AS varchar(20)) AS row_count FROM [Plant ]]'Ünïcødé; DROP DATABASE x--].[dbo].[Or]]ders']");
    expect(largestTablesStatement(NASTY, 5).sql).toContain("FROM [Plant ]]'Ünïcødé; DROP DATABASE x--].sys.tables t");
  });

  it('builds restore steps with MOVE, STOPAT and NORECOVERY as parameters', () => {
    const moves = planMoves([
      { logicalName: 'MES', physicalName: 'D:\\Data\\MES.mdf', type: 'D' },
      { logicalName: 'MES_hist', physicalName: 'D:\\Data\\MES_hist.ndf', type: 'D' },
      { logicalName: 'MES_log', physicalName: 'E:\\Log\\MES_log.ldf', type: 'L' },
    ], NASTY, { dataPath: 'F:\\SQLData\\', logPath: null });
    expect(moves).toEqual([
      { logicalName: 'MES', physicalPath: "F:\\SQLData\\Plant ]'Ünïcødé; DROP DATABASE x--.mdf" },
      { logicalName: 'MES_hist', physicalPath: "F:\\SQLData\\Plant ]'Ünïcødé; DROP DATABASE x--_MES_hist.ndf" },
      { logicalName: 'MES_log', physicalPath: "E:\\Log\\Plant ]'Ünïcødé; DROP DATABASE x--_log.ldf" },
    ]);
    const first = restoreStepStatement({ database: NASTY, serverPath: 'S:\\f.bak', kind: 'database', moves, recovery: false });
    expect(first.sql).toBe('RESTORE DATABASE @db FROM DISK = @path WITH MOVE @m0 TO @p0, MOVE @m1 TO @p1, MOVE @m2 TO @p2, NORECOVERY, CHECKSUM, STATS = 10');
    const last = restoreStepStatement({ database: NASTY, serverPath: 'S:\\l.trn', kind: 'log', recovery: false, stopAt: '2026-03-01T14:22:00.000' });
    expect(renderStatement(last)).toBe("RESTORE LOG [Plant ]]'Ünïcødé; DROP DATABASE x--] FROM DISK = N'S:\\l.trn' WITH STOPAT = '2026-03-01T14:22:00.000', NORECOVERY, CHECKSUM, STATS = 10");
    expect(renderStatement(recoverStatement(NASTY))).toBe("RESTORE DATABASE [Plant ]]'Ünïcødé; DROP DATABASE x--] WITH RECOVERY");
    expect(renderStatement(verifyOnlyStatement("/st/a'b.bak"))).toBe("RESTORE VERIFYONLY FROM DISK = N'/st/a''b.bak' WITH CHECKSUM");
  });

  it('names physical files safely on the file system and keeps them distinct', () => {
    const moves = planMoves([
      { logicalName: 'a', physicalName: '/var/opt/mssql/data/a.mdf', type: 'D' },
      { logicalName: 'x/y', physicalName: '/var/opt/mssql/data/b.ndf', type: 'D' },
      { logicalName: 'x:y', physicalName: '/var/opt/mssql/data/c.ndf', type: 'D' },
      { logicalName: 'l', physicalName: '/var/opt/mssql/data/l.ldf', type: 'L' },
    ], 'new/db:1', { dataPath: null, logPath: null });
    expect(moves.map((m) => m.physicalPath)).toEqual([
      '/var/opt/mssql/data/new_db_1.mdf', '/var/opt/mssql/data/new_db_1_x_y.ndf', '/var/opt/mssql/data/new_db_1_x_y_2.ndf', '/var/opt/mssql/data/new_db_1_log.ldf',
    ]);
  });
});
