import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The flags STACK-NOTES lists for Debian's Chromium, headless and as root. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export const CHROMIUM = process.env.LIFEBOAT_CHROMIUM ?? '/usr/bin/chromium';

export interface Browser {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught page errors, as text: a clean run leaves this empty. */
  errors: string[];
  close(): Promise<void>;
}

/** Chromium with a fresh profile (its own --user-data-dir) at the screen size the screenshots use. */
export async function launchBrowser(opts: { width?: number; height?: number } = {}): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    viewport: { width: opts.width ?? 1366, height: opts.height ?? 768 },
  });
  const page = context.pages()[0] ?? await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return {
    page, context, errors,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page PNG under test-results/screenshots/ (gitignored), named for the page. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.resolve(import.meta.dirname, '../../test-results/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
