import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPgTools } from '../../src-main/core/engines/postgres/pg-tools.ts';
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
