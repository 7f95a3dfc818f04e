import type { Db } from './open-catalog.ts';
import { fromJson, nowIso, toJson } from './json-column.ts';
import { newId } from '../util/ids.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

export type EncryptionMode = 'none' | 'passphrase' | 'recipients';
export type BackupType = 'full' | 'diff' | 'log' | 'copy-only';

export interface JobOptions {
  compressionLevel: number;
  encryption: EncryptionMode;
  /** age X25519 recipients (public keys) when encryption is 'recipients'. */
  recipients?: string[];
  includeGlobals: boolean;
  includeRolePasswords: boolean;
  /** How many of the largest tables get an exact row count in the manifest. */
  probeTables: number;
  retention?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface JobRecord {
  id: string;
  name: string;
  sourceId: string;
  databases: string[];
  backupType: BackupType;
  schedule: string | null;
  options: JobOptions;
  /** Sealed passphrase when encryption is 'passphrase'. */
  secret: string | null;
  enabled: boolean;
  targetIds: string[];
  createdAt: string;
  updatedAt: string;
}

interface Row { id: string; name: string; source_id: string; databases: string; backup_type: string; schedule: string | null; options: string; secret: string | null; enabled: number; created_at: string; updated_at: string }

export const DEFAULT_JOB_OPTIONS: JobOptions = {
  compressionLevel: 3,
  encryption: 'none',
  includeGlobals: true,
  includeRolePasswords: false,
  probeTables: 10,
};

export class JobsRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  add(input: { name: string; sourceId: string; databases: string[]; targetIds: string[]; backupType?: BackupType; schedule?: string | null; options?: Partial<JobOptions>; secret?: string | null }): JobRecord {
    if (this.find(input.name)) throw new LifeboatError('ALREADY_EXISTS', { verb: 'add', thing: 'job', where: input.name, cause: 'a job with that name exists' });
    const id = newId('job');
    const now = nowIso();
    this.#db.transaction(() => {
      this.#db.prepare('INSERT INTO jobs (id, name, source_id, databases, backup_type, schedule, options, secret, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)')
        .run(id, input.name, input.sourceId, toJson(input.databases), input.backupType ?? 'full', input.schedule ?? null,
          toJson({ ...DEFAULT_JOB_OPTIONS, ...input.options }), input.secret ?? null, now, now);
      this.#setTargets(id, input.targetIds);
    })();
    return this.get(id);
  }

  update(id: string, patch: Partial<Pick<JobRecord, 'databases' | 'backupType' | 'schedule' | 'enabled' | 'targetIds' | 'secret'>> & { options?: Partial<JobOptions> }): JobRecord {
    const cur = this.get(id);
    this.#db.transaction(() => {
      this.#db.prepare('UPDATE jobs SET databases = ?, backup_type = ?, schedule = ?, options = ?, secret = ?, enabled = ?, updated_at = ? WHERE id = ?')
        .run(toJson(patch.databases ?? cur.databases), patch.backupType ?? cur.backupType,
          patch.schedule === undefined ? cur.schedule : patch.schedule, toJson({ ...cur.options, ...patch.options }),
          patch.secret === undefined ? cur.secret : patch.secret, (patch.enabled ?? cur.enabled) ? 1 : 0, nowIso(), id);
      if (patch.targetIds) this.#setTargets(id, patch.targetIds);
    })();
    return this.get(id);
  }

  remove(id: string): void {
    this.#db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
  }

  #setTargets(jobId: string, targetIds: string[]): void {
    this.#db.prepare('DELETE FROM job_targets WHERE job_id = ?').run(jobId);
    const ins = this.#db.prepare('INSERT INTO job_targets (job_id, target_id, position) VALUES (?, ?, ?)');
    targetIds.forEach((t, i) => ins.run(jobId, t, i));
  }

  list(): JobRecord[] {
    return (this.#db.prepare('SELECT * FROM jobs ORDER BY name').all() as Row[]).map((r) => this.#map(r));
  }

  find(idOrName: string): JobRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM jobs WHERE id = ? OR name = ?').get(idOrName, idOrName) as Row | undefined;
    return row ? this.#map(row) : undefined;
  }

  get(idOrName: string): JobRecord {
    const j = this.find(idOrName);
    if (!j) throw new LifeboatError('NOT_FOUND', { verb: 'find', thing: 'job', where: idOrName, cause: 'no job with that name or id' });
    return j;
  }

  #map(r: Row): JobRecord {
    const targetIds = (this.#db.prepare('SELECT target_id FROM job_targets WHERE job_id = ? ORDER BY position').all(r.id) as { target_id: string }[]).map((t) => t.target_id);
    return {
      id: r.id, name: r.name, sourceId: r.source_id, databases: fromJson(r.databases, []), backupType: r.backup_type as BackupType,
      schedule: r.schedule, options: fromJson(r.options, DEFAULT_JOB_OPTIONS), secret: r.secret, enabled: r.enabled === 1,
      targetIds, createdAt: r.created_at, updatedAt: r.updated_at,
    };
  }
}
