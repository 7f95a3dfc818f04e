import { openDatabase, type Db } from './open-catalog.ts';
import { ConfigRepo } from './config-repo.ts';
import { JobsRepo } from './jobs-repo.ts';
import { RunsRepo } from './runs-repo.ts';
import { SetsRepo } from './sets-repo.ts';
import { VerificationsRepo } from './verifications-repo.ts';
import { RestoresRepo } from './restores-repo.ts';
import { AuditRepo } from './audit-repo.ts';
import { UsersRepo } from './users-repo.ts';
import { SessionsRepo } from './sessions-repo.ts';
import { SignaturesRepo } from './signatures-repo.ts';
import { CheckpointsRepo } from './checkpoints-repo.ts';
import { ProfilesRepo } from './profiles-repo.ts';
import { EvidenceRepo } from './evidence-repo.ts';
import { AlertsRepo } from './alerts-repo.ts';
import { ObjectivesRepo } from './objectives-repo.ts';
import { ScheduleRepo } from './schedule-repo.ts';
import { DrillsRepo } from './drills-repo.ts';
import { MediaRepo } from './media-repo.ts';

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
  readonly users: UsersRepo;
  readonly sessions: SessionsRepo;
  readonly signatures: SignaturesRepo;
  readonly checkpoints: CheckpointsRepo;
  readonly profiles: ProfilesRepo;
  readonly evidence: EvidenceRepo;
  readonly alerts: AlertsRepo;
  readonly objectives: ObjectivesRepo;
  readonly schedule: ScheduleRepo;
  readonly drills: DrillsRepo;
  readonly media: MediaRepo;

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
    this.users = new UsersRepo(this.db);
    this.sessions = new SessionsRepo(this.db);
    this.signatures = new SignaturesRepo(this.db);
    this.checkpoints = new CheckpointsRepo(this.db);
    this.profiles = new ProfilesRepo(this.db);
    this.evidence = new EvidenceRepo(this.db);
    this.alerts = new AlertsRepo(this.db);
    this.objectives = new ObjectivesRepo(this.db);
    this.schedule = new ScheduleRepo(this.db);
    this.drills = new DrillsRepo(this.db);
    this.media = new MediaRepo(this.db);
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
