import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

/**
 * Where Lifeboat keeps its catalog, machine key, agent address and logs. LIFEBOAT_HOME wins so that tests,
 * services and portable installs can point elsewhere; a service on Windows uses ProgramData so that the
 * agent and the desktop user see the same catalog.
 */
export function lifeboatHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LIFEBOAT_HOME) return path.resolve(env.LIFEBOAT_HOME);
  if (process.platform === 'win32') return path.join(env.ProgramData ?? 'C:\\ProgramData', 'Lifeboat');
  const dataHome = env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share');
  return path.join(dataHome, 'lifeboat');
}

export function ensurePrivateDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export interface HomePaths {
  root: string;
  catalog: string;
  machineKey: string;
  agentInfo: string;
  logs: string;
  work: string;
}

export function homePaths(root = lifeboatHome()): HomePaths {
  return {
    root,
    catalog: path.join(root, 'catalog.db'),
    machineKey: path.join(root, 'machine.key'),
    agentInfo: path.join(root, 'agent.json'),
    logs: path.join(root, 'logs'),
    work: path.join(root, 'work'),
  };
}
