import fs from 'node:fs';
import { randomBytes } from 'node:crypto';

/** What <home>/agent.json tells a client: where the agent listens and the token it wants. Owner-only (0600). */
export interface AgentInfo {
  pid: number;
  port: number;
  url: string;
  token: string;
  startedAt: string;
  version: string;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Written to a private temporary file and renamed, so a reader never sees half a file or a wider mode. */
export function writeAgentInfo(file: string, info: AgentInfo): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

export function readAgentInfo(file: string): AgentInfo | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<AgentInfo>;
    if (typeof v.pid !== 'number' || typeof v.port !== 'number' || typeof v.token !== 'string' || typeof v.url !== 'string') return null;
    return v as AgentInfo;
  } catch {
    return null;
  }
}

/** Removes the file only if it still describes this process (a newer agent may have replaced it). */
export function removeAgentInfo(file: string, pid: number = process.pid): void {
  const cur = readAgentInfo(file);
  if (cur && cur.pid === pid) fs.rmSync(file, { force: true });
}
