import type { EngineCheckResult } from '../engine.ts';
import type { MssqlSession } from './mssql-session.ts';
import { checkDbStatement } from './backup-statements.ts';
import { messageChain } from './mssql-errors.ts';

/** CHECKDB reports corruption as errors in the 8900s (and 2533/2534 for pages): a failed check, not a failed call. */
const isConsistencyError = (n: number) => (n >= 8900 && n < 9000) || n === 2533 || n === 2534;

/** DBCC CHECKDB for drills: ok, or the server's own summary ("CHECKDB found 0 allocation errors and 2 consistency errors…"). */
export async function checkDatabase(s: MssqlSession, database: string): Promise<EngineCheckResult> {
  const infos: { number: number; message: string }[] = [];
  try {
    await s.runRaw(checkDbStatement(database), { onInfo: (m) => infos.push(m) });
    return { ok: true, detail: { tool: 'DBCC CHECKDB', messages: infos.map((m) => m.message) } };
  } catch (err) {
    const chain = messageChain(err);
    if (!chain.some((m) => isConsistencyError(m.number))) throw await s.explain(err, { verb: 'check', thing: 'database', where: `${database} on ${s.where}` });
    const all = [...chain, ...infos];
    const summary = all.find((m) => m.number === 8989)?.message ?? `${chain.length} consistency errors reported`;
    return { ok: false, detail: { tool: 'DBCC CHECKDB', sqlErrors: chain.map((m) => m.number), messages: all.map((m) => m.message) }, message: summary };
  }
}
