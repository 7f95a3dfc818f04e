import { describe, expect, it } from 'vitest';
import { parseManifest, manifestText, type Manifest } from '../../src-main/core/repo/manifest.ts';
import { checkObjectName, safeSegment } from '../../src-main/core/targets/object-name.ts';

const good: Manifest = {
  format: 'lifeboat-set', formatVersion: 1, setId: 'set_0abc123', engine: 'postgres', server: 'plant-pg', database: 'mes',
  serverVersion: '15.8', type: 'full', parentSetId: null, chain: { snapshot: '00000003-00000002-1' }, startedAt: '2026-11-25T10:00:00.000Z',
  finishedAt: '2026-11-25T10:01:00.000Z', toolVersions: { pg_dump: '15.8' }, appVersion: '0.1.0', encryption: { scheme: 'none' },
  artifacts: [{ name: 'data.dump.zst', role: 'dump', bytes: 10, sha256: 'a'.repeat(64), rawBytes: 20, rawSha256: 'b'.repeat(64), compression: 'zstd', encryption: 'none' }],
  probes: [{ schema: 'public', table: 't', rows: 3 }], tags: [], job: 'nightly',
};

describe('MANIFEST.json', () => {
  it('round-trips through its text form', () => {
    expect(parseManifest(manifestText(good), 'x')).toEqual(good);
  });

  it.each([
    ['an artifact climbing out of its folder', { ...good, artifacts: [{ ...good.artifacts[0]!, name: '../../etc/passwd' }] }, /artifacts\.0\.name: must be a plain file name/],
    ['a malformed hash', { ...good, artifacts: [{ ...good.artifacts[0]!, sha256: 'zz' }] }, /artifacts\.0\.sha256: must be a lowercase hex SHA-256/],
    ['an unknown backup type', { ...good, type: 'incremental' }, /type:/],
    ['a negative size', { ...good, artifacts: [{ ...good.artifacts[0]!, bytes: -1 }] }, /artifacts\.0\.bytes/],
    ['no artifacts', { ...good, artifacts: [] }, /artifacts/],
    ['a duplicated artifact', { ...good, artifacts: [good.artifacts[0]!, good.artifacts[0]!] }, /listed twice/],
  ])('rejects %s with MANIFEST_INVALID naming the field', (_name, m, message) => {
    expect(() => parseManifest(JSON.stringify(m), 'disk/x/MANIFEST.json')).toThrow(message);
    try { parseManifest(JSON.stringify(m), 'x'); } catch (e) { expect((e as { code: string }).code).toBe('MANIFEST_INVALID'); }
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseManifest('{"format":', 'usb/MANIFEST.json')).toThrow(/unable to read manifest 'usb\/MANIFEST\.json': not JSON/);
  });
});

describe('object names', () => {
  it.each(['../x', 'a/../b', '/abs', 'a\\b', 'a//b', '', 'a/./b'])('refuses %j', (n) => {
    expect(() => checkObjectName(n)).toThrow(/names must be relative paths/);
  });

  it('accepts nested names with spaces and non-ASCII characters', () => {
    expect(checkObjectName('lifeboat/Werk Süd/Meßwerte/x.dump')).toBe('lifeboat/Werk Süd/Meßwerte/x.dump');
  });

  it('makes any database name a portable folder name', () => {
    expect(safeSegment('a/b:c*?"<>|d')).toBe('a_b_c______d');
    expect(safeSegment('..')).toBe('_');
    expect(safeSegment('trailing. ')).toBe('trailing_');
    expect(safeSegment('東京工場')).toBe('東京工場');
  });
});
