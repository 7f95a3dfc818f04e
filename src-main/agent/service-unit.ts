import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '../core/util/node-flags.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SYSTEMD_TEMPLATE = path.resolve(here, '../../resources/systemd/lifeboat-agent.service');
export const SERVICE_NAME = 'lifeboat-agent';

export interface ServiceVars {
  user: string;
  home: string;
  node: string;
  main: string;
  /** Seconds running backups get to finish at shutdown. */
  grace: number;
  /** Seconds systemd waits after SIGTERM: the agent's grace period plus time to record the outcome. */
  stopTimeout: number;
}

/** The systemd unit for this installation. Values with spaces are refused: systemd would split them. */
export function renderSystemdUnit(vars: ServiceVars, template = fs.readFileSync(SYSTEMD_TEMPLATE, 'utf8')): string {
  for (const [k, v] of Object.entries(vars)) {
    if (/[\s"'\\]/.test(String(v))) throw new Error(`the ${k} '${v}' contains a space or quote, which a unit file cannot carry unquoted`);
  }
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
    if (k === 'nodeFlags') return NODE_FLAGS.join(' ');
    const v = (vars as unknown as Record<string, unknown>)[k];
    if (v === undefined) throw new Error(`the unit template names an unknown field '${k}'`);
    return String(v);
  });
}

/**
 * Windows: Node cannot answer the Service Control Manager itself, so the installer ships WinSW renamed to
 * lifeboat-service.exe beside lifeboat.exe. install-service writes this XML next to it and runs
 * `lifeboat-service.exe install` then `start`; the service runs as LocalSystem with LIFEBOAT_HOME under
 * ProgramData, so the desktop user's window and the service see one catalog. (Not runnable on this host.)
 */
export function renderWinswConfig(vars: Omit<ServiceVars, 'user'>): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return [
    '<service>',
    `  <id>${SERVICE_NAME}</id>`,
    '  <name>Lifeboat backup agent</name>',
    '  <description>Runs scheduled database backups with nobody logged in.</description>',
    `  <executable>${esc(vars.node)}</executable>`,
    `  <arguments>${NODE_FLAGS.join(' ')} "${esc(vars.main)}" agent --home "${esc(vars.home)}" --grace ${vars.grace}</arguments>`,
    `  <env name="LIFEBOAT_HOME" value="${esc(vars.home)}"/>`,
    '  <startmode>Automatic</startmode>',
    '  <stoptimeout>' + vars.stopTimeout + 'sec</stoptimeout>',
    '  <onfailure action="restart" delay="10 sec"/>',
    '  <log mode="roll-by-size"/>',
    '</service>',
    '',
  ].join('\n');
}
