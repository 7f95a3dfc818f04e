import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/agent-process.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-agentcli-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
const cli = (...args: string[]) => runCli(['--home', home, '--json', ...args]);

describe('CLI verbs of the agent without an agent running (in-process API)', () => {
  it('objective set/list, alerts list/ack, agent status', { timeout: 120_000 }, async () => {
    const status = await cli('agent', 'status');
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: false });

    const set = await cli('objective', 'set', 'plant-pg', 'mes', '--rpo', '4h', '--rto', '30m');
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ server: 'plant-pg', database: 'mes', rpoSeconds: 14_400, rtoSeconds: 1800 });

    // No verified backup exists, so the objective is missed: exit 1, and an alert is open.
    const list = await cli('objective', 'list');
    expect(list.code).toBe(1);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ breached: true, liveRpoSeconds: null })]);
    const alerts = JSON.parse((await cli('alerts', 'list')).stdout) as { id: string; rule: string; status: string }[];
    expect(alerts).toEqual([expect.objectContaining({ rule: 'rpo-breached', status: 'open' })]);

    const ack = await cli('alerts', 'ack', alerts[0]!.id);
    expect(ack.code, ack.stderr).toBe(0);
    expect(JSON.parse(ack.stdout)).toMatchObject({ status: 'acknowledged' });
    const missing = await cli('alerts', 'ack', 'alr_nope');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ code: 'NOT_FOUND' });

    const usage = await cli('objective', 'set', 'plant-pg', 'mes', '--rpo', 'soon');
    expect(usage.code).toBe(2);
  });
});
