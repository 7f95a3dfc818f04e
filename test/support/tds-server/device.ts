import fs from 'node:fs';
import path from 'node:path';
import { msg } from './errors.ts';
import { readBackupBytes, type BackupHeader } from './backup-file.ts';
import type { ServerModel } from './model.ts';
import { errors, info, type Out } from './out.ts';

/** Checks that the service could open `serverPath` (write: its folder; read: the file). */
export function deviceCheck(m: ServerModel, serverPath: string, mode: 'write' | 'read', verb: string): Out[] | null {
  if (m.isDenied(serverPath)) return errors(msg.device(serverPath, 5, verb));
  const local = m.localPath(serverPath);
  if (mode === 'write' && !fs.existsSync(path.dirname(local))) return errors(msg.device(serverPath, 3, verb));
  if (mode === 'read' && !fs.existsSync(local)) return errors(msg.device(serverPath, fs.existsSync(path.dirname(local)) ? 2 : 3, verb));
  return null;
}

export function stats(m: ServerModel, every: number): Out[] {
  const out: Out[] = [];
  for (let p = every; p <= 100; p += every) {
    if (m.statsDelayMs > 0) out.push({ kind: 'delay', ms: m.statsDelayMs });
    out.push(info(3211, `${p} percent processed.`));
  }
  return out;
}

export function readDevice(m: ServerModel, device: string, verb: string): { header: BackupHeader } | { out: Out[] } {
  const denied = deviceCheck(m, device, 'read', verb);
  if (denied) return { out: denied };
  const r = readBackupBytes(fs.readFileSync(m.localPath(device)));
  if (!r.ok) return { out: errors(msg.notABackup(device)) };
  if (!r.payloadOk) return { out: errors(msg.damaged(verb)) };
  return { header: r.header };
}
