import fs from 'node:fs';
import type { EngineVerifyRequest, EngineVerifyResult } from '../engine.ts';
import type { MssqlSession } from './mssql-session.ts';
import { verifyOnlyStatement } from './restore-statements.ts';
import { messageChain } from './mssql-errors.ts';

/** SQL Server's verdict on damaged media: the file is bad, which is a result, not a failure to verify. */
const DAMAGE = new Set([3189, 3241, 3183, 3242, 3203]);

/** RESTORE VERIFYONLY ... WITH CHECKSUM on the stored bytes, staged for the server to read, then removed. */
export async function verifyBackup(s: MssqlSession, req: EngineVerifyRequest): Promise<EngineVerifyResult> {
  const art = req.manifest.artifacts.find((a) => a.role === 'backup' || a.role === 'log') ?? req.manifest.artifacts[0]!;
  const staged: string[] = [];
  try {
    const { serverPath } = await s.stage(() => req.openArtifact(art.name), `verify_${req.manifest.setId}_${Date.now().toString(36)}.bak`, staged);
    const messages: string[] = [];
    try {
      await s.runRaw(verifyOnlyStatement(serverPath), { onInfo: (m) => messages.push(m.message) });
    } catch (err) {
      const chain = messageChain(err);
      if (chain.some((m) => DAMAGE.has(m.number))) {
        return { ok: false, detail: { tool: 'RESTORE VERIFYONLY', sqlErrors: chain.map((m) => m.number) }, message: chain.map((m) => m.message).join(' ') };
      }
      throw await s.explain(err, { verb: 'verify', thing: 'set', where: req.manifest.setId, staging: true });
    }
    return { ok: true, detail: { tool: 'RESTORE VERIFYONLY WITH CHECKSUM', artifact: art.name, messages } };
  } finally {
    for (const f of staged) fs.rmSync(f, { force: true });
  }
}
