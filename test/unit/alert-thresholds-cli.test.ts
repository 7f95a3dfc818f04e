import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

// The alert rules' lines can be read and moved from the CLI; a move is audited with old and new values.
const home = tempDir();
afterAll(cleanupTemp);

describe('lifeboat alerts thresholds', () => {
  it('shows the defaults, changes them, records the change, and refuses nonsense naming the option', async () => {
    const shown = await runCli(home, ['--json', 'alerts', 'thresholds']);
    expect(shown.json).toEqual({ lowSpaceBytes: 5 * 1024 ** 3, offlineCopyMaxAgeDays: 14 });

    const set = await runCli(home, ['alerts', 'thresholds', '--low-space', '1.5G', '--offline-copy-days', '7']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('low space below: 1.5 GiB\noffline copy older than: 7 days\n');
    expect((await runCli(home, ['--json', 'alerts', 'thresholds'])).json).toEqual({ lowSpaceBytes: 1.5 * 1024 ** 3, offlineCopyMaxAgeDays: 7 });

    const audit = await runCli(home, ['--json', 'audit', 'list']);
    const entry = audit.json.find((e: { action: string }) => e.action === 'settings.alerts');
    expect(entry).toMatchObject({ outcome: 'success', oldValue: { lowSpaceBytes: 5 * 1024 ** 3, offlineCopyMaxAgeDays: 14 }, newValue: { lowSpaceBytes: 1.5 * 1024 ** 3, offlineCopyMaxAgeDays: 7 } });

    const badSize = await runCli(home, ['alerts', 'thresholds', '--low-space', 'lots']);
    expect(badSize.code).toBe(2);
    expect(badSize.stderr).toContain("unable to read option '--low-space': 'lots' is not a size");
    const badDays = await runCli(home, ['alerts', 'thresholds', '--offline-copy-days', '0']);
    expect(badDays.code).toBe(2);
    expect(badDays.stderr).toContain('offlineCopyMaxAgeDays: at least one day');
    expect((await runCli(home, ['--json', 'alerts', 'thresholds'])).json.offlineCopyMaxAgeDays).toBe(7);
  }, 60_000);
});
