import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPgTools, pgDumpCandidates } from '../../src-main/core/engines/postgres/pg-tools.ts';
import { oldPgTools } from '../support/pg-tool-wrappers.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

afterAll(cleanupTemp);

describe('client tool discovery', () => {
  it('uses a configured folder whose tools are new enough', async () => {
    const dir = oldPgTools(tempDir(), '16.4');
    const t = await findPgTools(15, dir);
    expect(t).toMatchObject({ dir, major: 16, version: '16.4', pgDump: path.join(dir, 'pg_dump') });
  });

  it('names what it found and what is needed when the tools are too old', async () => {
    const dir = oldPgTools(tempDir(), '12.20');
    await expect(findPgTools(15, dir)).rejects.toMatchObject({ code: 'TOOL_TOO_OLD', message: expect.stringMatching(/found only .*pg_dump 12\.20; pg_dump must be version 15 or newer/) });
  });

  it('reports a folder without tools as missing', async () => {
    await expect(findPgTools(15, tempDir())).rejects.toMatchObject({ code: 'TOOL_MISSING' });
  });

  it('finds the installed PostgreSQL tools when nothing is configured', async () => {
    const t = await findPgTools(15);
    expect(t.major).toBeGreaterThanOrEqual(15);
  });
});

describe('client tool candidates', () => {
  const program = (dir: string, name = 'pg_dump') => { fs.mkdirSync(dir, { recursive: true }); fs.writeFileSync(path.join(dir, name), '#!/bin/sh\n', { mode: 0o755 }); return path.join(dir, name); };

  it('lists a program reached through a second folder or a link once, in the order found', () => {
    const root = tempDir();
    program(path.join(root, 'pg16/bin'));
    program(path.join(root, 'pg15/bin'));
    fs.mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
    fs.symlinkSync(path.join(root, 'pg16/bin/pg_dump'), path.join(root, 'usr/bin/pg_dump'));
    fs.symlinkSync(path.join(root, 'usr/bin'), path.join(root, 'bin'));
    const dirs = ['pg16/bin', 'pg15/bin', 'usr/bin', 'bin', 'missing'].map((d) => path.join(root, d));
    expect(pgDumpCandidates(dirs).map((c) => path.relative(root, c.dir))).toEqual(['pg16/bin', 'pg15/bin']);
  });

  it("skips Debian's pg_wrapper when real installs exist, and keeps it when it is all there is", () => {
    const root = tempDir();
    const wrapper = program(path.join(root, 'share/postgresql-common'), 'pg_wrapper');
    fs.mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
    fs.symlinkSync(wrapper, path.join(root, 'usr/bin/pg_dump'));
    program(path.join(root, 'lib/postgresql/15/bin'));
    const withReal = pgDumpCandidates([path.join(root, 'usr/bin'), path.join(root, 'lib/postgresql/15/bin')]);
    expect(withReal.map((c) => path.relative(root, c.dir))).toEqual(['lib/postgresql/15/bin']);
    expect(pgDumpCandidates([path.join(root, 'usr/bin')]).map((c) => path.relative(root, c.dir))).toEqual(['usr/bin']);
  });
});
