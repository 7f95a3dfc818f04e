import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// Acceptance 4 (issue 6): the repository's own ESLint config keeps the renderer's imports inside
// src-renderer/ and type-only from src-main/api/, and keeps core/ away from Electron and the renderer.
// Each fixture is linted as if it lived at the given path.
const ROOT = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function ruleHits(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  return r!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the renderer boundary', () => {
  it('allows its own files, npm packages, and type-only imports from the API', async () => {
    expect(await ruleHits('src-renderer/pages/fixture-page.tsx', `
      import { useState } from 'react';
      import { Button } from '@mantine/core';
      import { useApp } from '../store.ts';
      import type { AppRouter } from '../../src-main/api/router.ts';
      import { type ApiContext } from '../../src-main/api/api-context.ts';
      export type R = AppRouter | ApiContext; export const x = [useState, Button, useApp];
    `)).toEqual([]);
  });

  it('refuses a value import from the API, anything else under src-main, electron and Node built-ins', async () => {
    const hits = await ruleHits('src-renderer/pages/fixture-page.tsx', `
      import { appRouter } from '../../src-main/api/router.ts';
      import { openCore } from '../../src-main/core/context.ts';
      import type { CoreContext } from '../../src-main/core/context.ts';
      import { ipcRenderer } from 'electron';
      import fs from 'node:fs';
      export * from '../../test/support/cli.ts';
      const later = () => import('../../src-main/cli/main.ts');
      export const x = [appRouter, openCore, ipcRenderer, fs, later];
    `);
    expect(hits).toHaveLength(7);
    expect(hits.every((h) => h.startsWith('lifeboat/renderer-imports: '))).toBe(true);
    expect(hits[0]).toContain("'../../src-main/api/router.ts'");
    expect(hits[2]).toContain("'../../src-main/core/context.ts'");
    expect(hits[3]).toContain("'electron' is not available there");
  });
});

describe('the core boundary', () => {
  it('refuses electron and the renderer inside src-main/core/', async () => {
    const hits = await ruleHits('src-main/core/runner/fixture.ts', `
      import { app } from 'electron';
      import type { BrowserWindow } from 'electron/main';
      import { useApp } from '../../../src-renderer/store.ts';
      import fs from 'node:fs';
      import { LifeboatError } from '../errors/lifeboat-error.ts';
      export const x = [app, useApp, fs, LifeboatError];
      export type W = BrowserWindow;
    `);
    expect(hits).toEqual([
      "lifeboat/core-imports: core/ runs in the agent and the CLI, which have no Electron: do not import 'electron' here (use src-main/shell/)",
      "lifeboat/core-imports: core/ runs in the agent and the CLI, which have no Electron: do not import 'electron/main' here (use src-main/shell/)",
      "lifeboat/core-imports: core/ must not depend on the renderer ('../../../src-renderer/store.ts')",
    ]);
  });

  it('lets the shell import electron', async () => {
    expect(await ruleHits('src-main/shell/fixture.ts', "import { app } from 'electron'; export const a = app;")).toEqual([]);
  });
});

describe('the repository as it is', () => {
  it('keeps both boundaries in src-renderer/ and src-main/core/', { timeout: 180_000 }, async () => {
    const results = await eslint.lintFiles(['src-renderer/**/*.{ts,tsx}', 'src-main/core/**/*.ts']);
    const boundary = results.flatMap((r) => r.messages.filter((m) => m.ruleId?.startsWith('lifeboat/')).map((m) => `${path.relative(ROOT, r.filePath)}: ${m.message}`));
    expect(boundary).toEqual([]);
    expect(results.length).toBeGreaterThan(20);
  });
});
