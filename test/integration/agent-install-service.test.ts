import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/agent-process.ts';
import { renderSystemdUnit, renderWinswConfig } from '../../src-main/agent/service-unit.ts';
import { NODE_FLAGS } from '../../src-main/core/util/node-flags.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-svc-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

/** The [Section] key=value pairs of a unit file. */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  let section = '';
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const s = /^\[(\w+)\]$/.exec(t);
    if (s) { section = s[1]!; out[section] = {}; continue; }
    const i = t.indexOf('=');
    (out[section]![t.slice(0, i)] ??= []).push(t.slice(i + 1));
  }
  return out;
}

describe('agent install-service', () => {
  it('--dry-run prints a systemd unit that starts this Lifeboat as the agent for this home, and changes nothing', async () => {
    const r = await runCli(['--home', home, '--json', 'agent', 'install-service', '--dry-run', '--user', 'lifeboat', '--grace', '120']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { file: string; unit: string; steps: string[] };
    expect(out.file).toBe('/etc/systemd/system/lifeboat-agent.service');
    expect(out.steps).toEqual(['systemctl daemon-reload', 'systemctl enable --now lifeboat-agent']);
    const unit = parseUnit(out.unit);
    expect(unit.Service!.ExecStart).toEqual([`${process.execPath} ${NODE_FLAGS.join(' ')} ${path.resolve('src-main/cli/main.ts')} agent --home ${home} --grace 120`]);
    expect(unit.Service!.User).toEqual(['lifeboat']);
    expect(unit.Service!.Environment).toEqual([`LIFEBOAT_HOME=${home}`]);
    expect(unit.Service!.KillSignal).toEqual(['SIGTERM']);
    // systemd must wait longer than the agent's grace period, or it kills running backups itself.
    expect(Number(unit.Service!.TimeoutStopSec![0])).toBeGreaterThan(120);
    expect(unit.Service!.Restart).toEqual(['on-failure']);
    expect(unit.Install!.WantedBy).toEqual(['multi-user.target']);
    expect(out.unit).not.toMatch(/\{\{/);
    expect(fs.existsSync(out.file) && fs.readFileSync(out.file, 'utf8') === out.unit).toBe(false);
  });

  it('refuses paths a unit file cannot carry unquoted', () => {
    expect(() => renderSystemdUnit({ user: 'lb', home: '/srv/life boat', node: '/usr/bin/node', main: '/opt/lifeboat/main.ts', grace: 60, stopTimeout: 90 })).toThrow(/space/);
  });

  it('the Windows service definition (WinSW) runs the agent with the home in ProgramData and escapes XML', () => {
    const xml = renderWinswConfig({ home: 'C:\\ProgramData\\Lifeboat', node: 'C:\\Program Files\\Lifeboat\\node.exe', main: 'C:\\Program Files\\Lifeboat\\main.ts', grace: 60, stopTimeout: 90 });
    expect(xml).toContain('<executable>C:\\Program Files\\Lifeboat\\node.exe</executable>');
    expect(xml).toContain(`<arguments>${NODE_FLAGS.join(' ')} "C:\\Program Files\\Lifeboat\\main.ts" agent --home "C:\\ProgramData\\Lifeboat" --grace 60</arguments>`);
    expect(xml).toContain('<startmode>Automatic</startmode>');
    expect(renderWinswConfig({ home: 'C:\\a&b', node: 'n', main: 'm', grace: 1, stopTimeout: 1 })).toContain('C:\\a&amp;b');
  });
});
