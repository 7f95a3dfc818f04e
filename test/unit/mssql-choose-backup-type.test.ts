import { describe, expect, it } from 'vitest';
import { chooseBackupType, type ServerChainState } from '../../src-main/core/engines/mssql/choose-backup-type.ts';
import type { PlannableSet } from '../../src-main/core/engines/engine.ts';

const L = (n: number) => (37000000012800000n + BigInt(n)).toString();
const FORK = '6f9619ff-8b86-d011-b42d-00c04fc964ff';
const at = (m: number) => new Date(Date.UTC(2026, 0, 1) + m * 60_000).toISOString();
function set(id: string, type: PlannableSet['type'], chain: Record<string, string | boolean | null>): PlannableSet {
  return { id, type, startedAt: at(0), finishedAt: at(1), parentSetId: null, chain: { recoveryForkId: FORK, isCopyOnly: false, ...chain } };
}
const F1 = set('F1', 'full', { firstLsn: L(100), checkpointLsn: L(110), lastLsn: L(120) });
const LOG1 = set('L1', 'log', { firstLsn: L(100), lastLsn: L(200) });
const server = (s: Partial<ServerChainState> = {}): ServerChainState => ({
  database: 'MES', recoveryModel: 'FULL', lastLogBackupLsn: L(200), differentialBaseLsn: L(110), recoveryForkId: FORK, ...s,
});

describe('chooseBackupType (escalation)', () => {
  it('keeps a log backup whose chain is intact and names its parent', () => {
    expect(chooseBackupType('log', [F1, LOG1], server())).toEqual({ type: 'log', parentSetId: 'L1' });
    expect(chooseBackupType('log', [F1], server({ lastLogBackupLsn: L(100) }))).toEqual({ type: 'log', parentSetId: 'F1' });
  });

  it('refuses a log backup under SIMPLE recovery with an explanation', () => {
    expect(() => chooseBackupType('log', [F1], server({ recoveryModel: 'SIMPLE' }))).toThrow(/SIMPLE recovery model.*4208/);
  });

  it('escalates LOG to DIFF when a foreign log backup broke the chain', () => {
    const d = chooseBackupType('log', [F1, LOG1], server({ lastLogBackupLsn: L(250) }));
    expect(d.type).toBe('diff');
    expect(d.parentSetId).toBe('F1');
    expect(d.escalatedBecause).toContain(`would start at LSN ${L(250)}`);
  });

  it('escalates LOG to FULL when the server has no log chain and no differential base', () => {
    const d = chooseBackupType('log', [], server({ lastLogBackupLsn: null, differentialBaseLsn: null }));
    expect(d).toEqual({
      type: 'full', parentSetId: null,
      escalatedBecause: 'the server has no log chain yet (no full backup since the database entered FULL recovery); the server has no differential base (no full backup of the database exists)',
    });
  });

  it('escalates LOG when the catalog holds no set of this fork', () => {
    const other = set('X', 'full', { firstLsn: L(100), checkpointLsn: L(110), lastLsn: L(120), recoveryForkId: '00000000-0000-0000-0000-000000000009' });
    const d = chooseBackupType('log', [other], server());
    expect(d.type).toBe('full');
    expect(d.escalatedBecause).toContain('no earlier backup');
  });

  it('keeps DIFF on the full whose checkpoint is the server differential base', () => {
    expect(chooseBackupType('diff', [F1, LOG1], server())).toEqual({ type: 'diff', parentSetId: 'F1' });
  });

  it('escalates DIFF to FULL when the base is a full Lifeboat does not hold', () => {
    const d = chooseBackupType('diff', [F1], server({ differentialBaseLsn: L(999) }));
    expect(d.type).toBe('full');
    expect(d.escalatedBecause).toContain(`checkpoint LSN ${L(999)}`);
  });

  it('never uses a copy-only full as a differential base', () => {
    const c = set('C1', 'copy-only', { firstLsn: L(100), checkpointLsn: L(110), lastLsn: L(120), isCopyOnly: true });
    const d = chooseBackupType('diff', [c], server());
    expect(d.type).toBe('full');
    expect(d.escalatedBecause).toBe('a copy-only full is never a differential base');
  });

  it('passes FULL and COPY_ONLY through', () => {
    expect(chooseBackupType('full', [], server({ recoveryModel: 'SIMPLE' }))).toEqual({ type: 'full', parentSetId: null });
    expect(chooseBackupType('copy-only', [], server())).toEqual({ type: 'copy-only', parentSetId: null });
  });
});
