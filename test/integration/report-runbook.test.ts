import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { generateRunbook, type RunbookResult } from '../../src-main/core/reports/runbook.ts';
import { buildSite, type Fixture } from './report-fixture.ts';

let home: string;
let ctx: CoreContext;
let fx: Fixture;
let rb: RunbookResult;
let pages: string[];
let flat: string;
let dense: string;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-runbook-'));
  ctx = await openCore({ home, recover: false, actor: 'alice' });
  fx = await buildSite(ctx);
  // A database with a job but no backup yet and no tier: it must still be listed, last, and say so.
  const pg = ctx.catalog.sources.get('plant-pg');
  ctx.catalog.jobs.add({ name: 'lims-daily', sourceId: pg.id, databases: ['lims'], targetIds: [ctx.catalog.targets.get('nas').id], schedule: 'daily 03:00' });
  ctx.catalog.setSetting('runbook.contacts', JSON.stringify([{ role: 'Recovery lead', name: 'Jana Nováková', phone: '+420 555 0100' }, { role: 'DBA', name: 'Piotr Łukasz', email: 'dba@plant.example' }]));
  ctx.catalog.setSetting('runbook.paper_copies', 'control room binder; QA office safe');
  rb = await generateRunbook(ctx, { out: path.join(home, 'runbook.pdf') });
  const text = execFileSync('pdftotext', ['-layout', rb.pdf.file, '-'], { encoding: 'utf8' });
  pages = text.split('\f').filter((p) => p.trim());
  flat = text.replace(/\s+/g, ' ');
  dense = text.replace(/\s+/g, '');
});

afterAll(() => {
  closeCore(ctx);
  fs.rmSync(home, { recursive: true, force: true });
});

describe('DR runbook PDF', () => {
  it('lists every protected database in recovery order: tier 1 first, no tier last', () => {
    expect(rb.data.databases.map((d) => `${d.server}/${d.database}`)).toEqual(['clinic-sql/HIS', 'plant-pg/mes', 'plant-pg/lims']);
    const at = ['1. clinic-sql/HIS', '2. plant-pg/mes', '3. plant-pg/lims'].map((h) => flat.indexOf(h));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(dense).toContain('3plant-pg/limspostgresnotsetnotset');
    expect(dense).toMatch(/plant-pg\/limspostgres.*NONE/);
  });

  it('shows where each database\'s copies are, including the offline ones', () => {
    expect(dense).toContain('nassftpsftplifeboat@nas01/volume1/backupno');
    expect(dense).toContain('usb-rotationusbusb/media/lifeboat-usbyes(removable)');
    const mes = rb.data.databases.find((d) => d.database === 'mes')!;
    const mesSets = fx.sets.filter((s) => s.id !== fx.clinicSetId);
    expect(mes.offlineCopies.map((c) => c.setId)).toEqual(mesSets.map((s) => s.id).reverse());
    expect(mes.lastGood!.setId).toBe(mesSets.at(-1)!.id);
    for (const a of mesSets.at(-1)!.artifacts) expect(dense).toContain(a.sha256);
    expect(rb.data.databases.find((d) => d.database === 'HIS')!.offlineCopies).toEqual([]);
    expect(flat).toContain('NONE: no offline copy recorded');
    expect(mes.media).toHaveLength(1);
    expect(mes.media[0]).toMatch(/label=USB-A.*off_site=1/);
    expect(dense).toContain('USBdisksandcustody');
  });

  it('gives the restore commands in Lifeboat and by hand for each engine', () => {
    const mesSet = fx.sets.filter((s) => s.id !== fx.clinicSetId).at(-1)!.id;
    expect(dense).toContain(`lifeboatrestore${mesSet}--asmes_restored--identity<keyfile>`);
    expect(dense).toContain('age-d-i<identityfile:AGE-SECRET-KEY-1…fromthekeycustodian>-odata.dump.zstdata.dump.zst.age');
    expect(dense).toContain('zstd-ddata.dump.zst-odata.dump');
    expect(dense).toContain('psql-hmes-db.plant.local-p5432-Ulifeboat-dpostgres-fglobals.sql');
    expect(dense).toContain('pg_restore-hmes-db.plant.local-p5432-Ulifeboat-dmes_restored--exit-on-errordata.dump');
    expect(dense).toContain('age-d-ofull.bak.zstfull.bak.zst.age#ageasksforthepassphrase');
    expect(dense).toContain("sqlcmd-Shis-sql01-E-b-Q\"RESTOREDATABASE[HIS]FROMDISK=N'C:\\LifeboatRestore\\full.bak'WITHCHECKSUM,RECOVERY");
    expect(dense).toContain(`lifeboatverify${fx.clinicSetId}`);
  });

  it('has contacts, key recovery, the ransomware branch and post-recovery steps', () => {
    expect(flat).toContain('Jana Nováková');
    expect(flat).toContain('Piotr Łukasz');
    expect(flat).toContain('control room binder; QA office safe');
    expect(dense).toContain('age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq');
    expect(flat).toContain('Ransomware branch');
    expect(flat).toContain('OFFLINE copy OLDER than that time');
    expect(flat).toContain('fresh full backup taken: lifeboat job run mes-hourly');
    expect(flat).toContain('DBCC CHECKDB (HIS)');
  });

  it('carries its id and page X of Y on every page and is recorded in the audit trail', () => {
    pages.forEach((p, i) => {
      expect(p).toContain(rb.runbookId);
      expect(p).toContain(`page ${i + 1} of ${pages.length}`);
    });
    const entry = ctx.catalog.audit.get(rb.auditSeq)!;
    expect(entry).toMatchObject({ action: 'report.runbook', object: rb.runbookId });
    expect(entry.detail.sha256).toBe(createHash('sha256').update(fs.readFileSync(rb.pdf.file)).digest('hex'));
    const json = JSON.parse(fs.readFileSync(rb.json.file, 'utf8'));
    expect(json.databases).toHaveLength(3);
    // Rendering must not leave layout state in the data written beside the PDF.
    expect(JSON.stringify(json)).not.toContain('_minWidth');
  });
});
