import { openDatabase, type Db } from './open-catalog.ts';
import { ConfigRepo } from './config-repo.ts';
import { JobsRepo } from './jobs-repo.ts';
import { RunsRepo } from './runs-repo.ts';
import { SetsRepo } from './sets-repo.ts';
import { VerificationsRepo } from './verifications-repo.ts';
import { RestoresRepo } from './restores-repo.ts';
import { AuditRepo } from './audit-repo.ts';

/** The catalog: one SQLite file, one object per table family. The only module that writes SQL. */
export class Catalog {
  readonly db: Db;
  readonly file: string;
  readonly sources: ConfigRepo;
  readonly targets: ConfigRepo;
  readonly jobs: JobsRepo;
  readonly runs: RunsRepo;
  readonly sets: SetsRepo;
  readonly verifications: VerificationsRepo;
  readonly restores: RestoresRepo;
  readonly audit: AuditRepo;

  constructor(file: string, opts: { readonly?: boolean } = {}) {
    this.file = file;
    this.db = openDatabase(file, opts);
    this.sources = new ConfigRepo(this.db, 'sources');
    this.targets = new ConfigRepo(this.db, 'targets');
    this.jobs = new JobsRepo(this.db);
    this.runs = new RunsRepo(this.db);
    this.sets = new SetsRepo(this.db);
    this.verifications = new VerificationsRepo(this.db);
    this.restores = new RestoresRepo(this.db);
    this.audit = new AuditRepo(this.db);
  }

  getSetting(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
