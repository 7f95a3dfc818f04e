import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { execSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDigest, REMOTE_HASHERS } from '../../src-main/core/targets/sftp/remote-hash.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-remote-hash-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const has = (tool: string) => { try { execSync(`command -v ${tool}`, { stdio: 'ignore', shell: '/bin/sh' }); return true; } catch { return false; } };

describe('remote SHA-256 tools', () => {
  it('prefers openssl, then sha256sum, then shasum', () => {
    expect(REMOTE_HASHERS.map((h) => h.name)).toEqual(['openssl', 'sha256sum', 'shasum']);
  });

  // The real tools' output, as the server's shell would give it (the object on standard input).
  for (const h of REMOTE_HASHERS) {
    it.runIf(has(h.name))(`parses what ${h.name} prints for standard input`, () => {
      const file = path.join(dir, `o-${h.name}`);
      const body = randomBytes(100_000);
      fs.writeFileSync(file, body);
      const out = execSync(`${h.command} < '${file}'`, { encoding: 'utf8', shell: '/bin/sh' });
      expect(parseDigest(out)).toBe(createHash('sha256').update(body).digest('hex'));
    });
  }

  it('reads every known answer format and refuses anything ambiguous', () => {
    const d = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(parseDigest(`${d} *stdin\n`)).toBe(d);
    expect(parseDigest(`${d}  -\n`)).toBe(d);
    expect(parseDigest(`${d} *-\n`)).toBe(d);
    expect(parseDigest(`SHA2-256(stdin)= ${d}\n`)).toBe(d);
    expect(parseDigest(`SHA256(stdin)= ${d}\n`)).toBe(d);
    expect(parseDigest(`(stdin)= ${d.toUpperCase()}\n`)).toBe(d);
    expect(parseDigest('')).toBeNull();
    expect(parseDigest('sh: 1: openssl: not found')).toBeNull();
    expect(parseDigest(`${d}0 -`)).toBeNull();
    expect(parseDigest(`${d} ${d}`)).toBeNull();
  });
});
