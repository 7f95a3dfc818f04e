import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { launchBrowser, screenshot, type Browser } from '../support/browser.ts';
import { startServe, type Served } from './lifeboat-serve.ts';

// Acceptance 1–3 of issue 6: the operator console in Debian's Chromium against `lifeboat serve`, a real
// agent and a real PostgreSQL. Steps run in order and share the browser, as an operator's session would.
let pg: PgServer;
let served: Served;
let browser: Browser;
let page: Page;
let folder: string;
let home: string;

const ROWS = 2345;

beforeAll(async () => {
  pg = await startPostgres();
  await pg.createDatabase('plant');
  await pg.query('plant', `CREATE TABLE batches AS SELECT g AS id, 'batch ' || g AS label, now() - g * interval '1 minute' AS made FROM generate_series(1, ${ROWS}) g;
    CREATE TABLE alarms (id serial PRIMARY KEY, tag text NOT NULL); INSERT INTO alarms (tag) SELECT 'TIC-' || g FROM generate_series(1, 77) g;`);
  home = tempDir('lifeboat-e2e-home-');
  folder = tempDir('lifeboat-e2e-target-');
  served = await startServe(home);
  browser = await launchBrowser({ width: 1366, height: 768 });
  page = browser.page;
  page.setDefaultTimeout(30_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await pg?.stop();
  cleanupTemp();
});

async function nav(name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 }).toBe(name);
}

async function choose(label: string, option: string): Promise<void> {
  await page.getByLabel(new RegExp(`^${label.replace(/[?]/g, '\\?')}`)).and(page.locator('input:not([type=hidden])')).first().click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await page.keyboard.press('Escape');
}

function findFile(dir: string, name: string): string | null {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { const f = findFile(p, name); if (f) return f; } else if (e.name === name) return p;
  }
  return null;
}

describe('the operator console', { timeout: 180_000 }, () => {
  it('connects with the token from the URL and then drops it from the address bar', async () => {
    await page.goto(served.url);
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 30_000 }).toContain('Connected');
    expect(page.url()).not.toContain('token=');
    await expect.poll(() => page.getByText('Nothing is protected yet').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshot(page, '01-dashboard-empty');
    // Keyboard only: Alt+number opens a page, and Tab reaches the menu.
    await page.keyboard.press('Alt+9');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 }).toBe('Settings');
    await page.keyboard.press('Alt+1');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 }).toBe('Dashboard');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^(Dashboard|Sources)/);
  });

  it('adds and tests a PostgreSQL source: version and databases with sizes', async () => {
    await nav('Sources');
    const form = page.getByRole('form', { name: 'Add a source' });
    await form.getByRole('textbox', { name: /^Name/ }).fill('plantpg');
    await form.getByRole('textbox', { name: /^Host/ }).fill(pg.host);
    await form.getByRole('textbox', { name: /^Port/ }).fill(String(pg.port));
    await form.getByRole('textbox', { name: /^User/ }).fill(pg.user);
    await form.locator('input[type="password"]').fill(pg.password);
    await form.getByRole('button', { name: 'Save and test' }).click();
    const probe = page.getByTestId('probe-result');
    await expect.poll(() => probe.getByTestId('probe-version').textContent(), { timeout: 30_000 }).toMatch(/^(PostgreSQL )?1\d/);
    expect(await probe.getByRole('table').textContent()).toContain('plant');
    await screenshot(page, '02-sources');
  });

  it('adds and tests a folder target (kept off site) showing its free space', async () => {
    await nav('Targets');
    const form = page.getByRole('form', { name: 'Add a target' });
    await form.getByRole('textbox', { name: /^Name/ }).fill('disk');
    await form.getByRole('textbox', { name: /^Folder/ }).fill(folder);
    // Declared off site: its copies then count as the off-site copy on the dashboard.
    await form.getByRole('checkbox', { name: /^Kept off site/ }).check();
    await form.getByRole('button', { name: 'Save and test' }).click();
    await expect.poll(() => page.getByTestId('free-space').textContent(), { timeout: 30_000 }).toMatch(/\d+(\.\d)? (B|KB|MB|GB|TB)/);
    await screenshot(page, '03-targets');
  });

  it('creates a job with a schedule preview and runs it', async () => {
    await nav('Jobs');
    const form = page.getByRole('form', { name: 'Create a job' });
    await form.getByRole('textbox', { name: /^Job name/ }).fill('nightly');
    await choose('Source', 'plantpg');
    await choose('Databases', 'plant');
    await choose('Targets', 'disk');
    await choose('Schedule', 'Custom (cron pattern)');
    const cron = form.getByRole('textbox', { name: /^Cron pattern/ });
    await cron.fill('*/15 * * * *');
    await expect.poll(() => page.getByTestId('schedule-preview').textContent(), { timeout: 30_000 }).toContain('Runs every 15 minutes');
    await cron.fill('99 * * * *');
    await expect.poll(() => page.getByTestId('schedule-preview').textContent(), { timeout: 30_000 }).toContain('Next step:');
    await choose('Schedule', 'Every day at 02:00');
    await expect.poll(() => page.getByTestId('schedule-preview').textContent(), { timeout: 30_000 }).toContain('Runs every day at 02:00');
    await form.getByRole('textbox', { name: /^Daily, for days/ }).fill('30');
    await form.getByRole('button', { name: 'Create job' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Run nightly now' }).count(), { timeout: 30_000 }).toBe(1);
    // The form speaks the agent's retention policy (core/retention/policy.ts), not a shape of its own.
    const db = new Database(path.join(home, 'catalog.db'), { readonly: true });
    try {
      const row = db.prepare("SELECT options FROM jobs WHERE name = 'nightly'").get() as { options: string };
      expect(JSON.parse(row.options).retention).toEqual({ keepLast: 7, daily: 30, weekly: 8, monthly: 12, yearly: 3 });
    } finally {
      db.close();
    }
    await page.getByRole('button', { name: 'Run nightly now' }).click();
    await expect.poll(() => page.getByTestId('run-outcome').textContent(), { timeout: 90_000 }).toContain('Succeeded');
    await screenshot(page, '04-jobs');
  });

  it('shows the database as OK on the dashboard', async () => {
    await nav('Dashboard');
    const row = page.getByTestId('db-row-plant');
    await expect.poll(() => row.locator('[data-status]').first().getAttribute('data-status'), { timeout: 30_000 }).toBe('ok');
    expect(await row.textContent()).toContain('OK');
    expect(await row.textContent()).toContain('1 copy on 1 medium');
    // 3-2-1-1-0 with one target, declared off site: only the off-site copy and the checks hold.
    expect(await row.textContent()).toContain('3-2-1-1-0 lacks: 3 copies, 2 media, 1 offline');
    // Readable from a step away: no status word may be cut off with an ellipsis.
    const clipped = await page.locator('[data-status]').evaluateAll((els) => els.filter((e) => {
      const label = e.querySelector('.mantine-Badge-label') ?? e;
      return label.scrollWidth > label.clientWidth + 1;
    }).map((e) => e.textContent));
    expect(clipped).toEqual([]);
    await screenshot(page, '05-dashboard');
  });

  it('lists the set on the Backups page and verifies it on demand', async () => {
    await nav('Backups');
    await page.getByRole('button', { name: /^Verify set of/ }).first().click();
    await expect.poll(() => page.locator('[data-testid^="set-"] [data-status]').first().getAttribute('data-status'), { timeout: 60_000 }).toBe('passed');
    await screenshot(page, '06-backups');
  });

  it('restores to a new database through the wizard, and the rows are there', async () => {
    await nav('Dashboard');
    await page.getByRole('button', { name: 'Restore plant' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 }).toBe('Restore');
    await screenshot(page, '07-restore-database');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByTestId('restore-chain').textContent(), { timeout: 30_000 }).toContain('Full backup');
    await screenshot(page, '08-restore-point');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('New database name').fill('plant_copy');
    await screenshot(page, '09-restore-destination');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByTestId('preflight-pass').count(), { timeout: 60_000 }).toBe(1);
    await screenshot(page, '10-restore-preflight');
    await page.getByRole('button', { name: 'Next' }).click();
    const start = page.getByRole('button', { name: 'Start restore' });
    expect(await start.isDisabled()).toBe(true);
    await page.getByLabel('Type plant_copy to confirm').fill('plant_copy');
    await screenshot(page, '11-restore-confirm');
    await start.click();
    await expect.poll(() => page.getByTestId('restore-summary').count(), { timeout: 120_000 }).toBe(1);
    const summary = await page.getByTestId('restore-summary').textContent();
    expect(summary).toContain('Restored into plant_copy');
    expect(summary).toMatch(/public\.batches\s*2345\s*2345\s*✔?\s*Passed/);
    expect(await page.getByTestId('restore-phases').textContent()).toContain('Checking every file against its SHA-256');
    await screenshot(page, '12-restore-done');
    const [b] = await pg.query<{ n: string; s: string }>('plant_copy', "SELECT count(*)::text AS n, sum(id)::text AS s FROM batches");
    expect(b).toEqual({ n: String(ROWS), s: String((ROWS * (ROWS + 1)) / 2) });
    const [a] = await pg.query<{ n: string }>('plant_copy', 'SELECT count(*)::text AS n FROM alarms');
    expect(a!.n).toBe('77');
  });

  it('stops at pre-flight when a file it needs fails its integrity check, naming the file and why', async () => {
    const dump = findFile(folder, 'data.dump.zst');
    expect(dump).not.toBeNull();
    const bytes = fs.readFileSync(dump!);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x40;
    fs.writeFileSync(dump!, bytes);

    await nav('Restore');
    await page.getByRole('button', { name: 'Start another restore' }).click().catch(() => undefined);
    await choose('Which database?', 'plant on plantpg');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByTestId('restore-chain').count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('New database name').fill('plant_bad');
    await page.getByRole('button', { name: 'Next' }).click();
    const stop = page.getByTestId('preflight-stop');
    await expect.poll(() => stop.count(), { timeout: 60_000 }).toBe(1);
    const text = await stop.textContent();
    expect(text).toContain("data.dump.zst on 'disk': SHA-256 differs");
    expect(text).toContain('Next step:');
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await screenshot(page, '13-restore-preflight-stopped');
    const [n] = await pg.query<{ n: string }>('postgres', "SELECT count(*)::text AS n FROM pg_database WHERE datname = 'plant_bad'");
    expect(n!.n).toBe('0');
  });

  it('shows activity, alerts and settings', async () => {
    await nav('Activity');
    await expect.poll(() => page.getByTestId('run').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    expect(await page.getByTestId('run').first().textContent()).toMatch(/Restore|Verification|Backup/);
    await screenshot(page, '14-activity');
    await nav('Alerts');
    await screenshot(page, '15-alerts');
    await nav('Settings');
    await expect.poll(() => page.getByRole('form', { name: 'Mail relay' }).count(), { timeout: 30_000 }).toBe(1);
    // The offline-copy line, moved from the console, is what the agent now uses.
    const thresholds = page.getByRole('form', { name: 'Alert thresholds' });
    const days = thresholds.getByRole('textbox', { name: /^Warn when no disk of a rotation set/ });
    await expect.poll(() => days.inputValue(), { timeout: 30_000 }).toBe('14');
    await days.fill('10');
    await thresholds.getByRole('button', { name: 'Save thresholds' }).click();
    await expect.poll(() => thresholds.textContent(), { timeout: 30_000 }).toContain('Saved.');
    const db = new Database(path.join(home, 'catalog.db'), { readonly: true });
    try {
      expect(db.prepare("SELECT value FROM settings WHERE key = 'alerts.offlineCopyMaxAgeDays'").get()).toEqual({ value: '10' });
      expect((db.prepare("SELECT action FROM audit_events WHERE action = 'settings.alerts'").all() as unknown[]).length).toBe(1);
    } finally {
      db.close();
    }
    await screenshot(page, '16-settings');
  });

  it('logged no console errors on any page', () => {
    expect(browser.errors).toEqual([]);
  });
});
