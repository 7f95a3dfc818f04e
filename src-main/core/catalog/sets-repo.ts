import type { Db } from './open-catalog.ts';
import { fromJson, nowIso, toJson } from './json-column.ts';
import { newId } from '../util/ids.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import type { ArtifactEntry, Manifest, Probe } from '../repo/manifest.ts';

export interface CopyRecord {
  id: string;
  setId: string;
  targetId: string;
  mediaId: string | null;
  status: 'present' | 'removed' | 'missing';
  storedAt: string;
  removedAt: string | null;
}

export interface SetRecord {
  id: string;
  runId: string | null;
  jobId: string | null;
  engine: string;
  server: string;
  database: string;
  type: Manifest['type'];
  path: string;
  startedAt: string;
  finishedAt: string;
  serverVersion: string | null;
  parentSetId: string | null;
  chain: Manifest['chain'];
  encryption: Manifest['encryption']['scheme'];
  bytes: number;
  probes: Probe[];
  toolVersions: Record<string, string>;
  tags: string[];
  manifestSha256: string;
  appVersion: string;
  legalHold: boolean;
  artifacts: ArtifactEntry[];
  copies: CopyRecord[];
}

interface SetRow { id: string; run_id: string | null; job_id: string | null; engine: string; server: string; database_name: string; type: string; path: string; started_at: string; finished_at: string; server_version: string | null; parent_set_id: string | null; chain: string; encryption: string; bytes: number; probes: string; tool_versions: string; tags: string; manifest_sha256: string; app_version: string; legal_hold: number }
interface ArtRow { name: string; role: string; bytes: number; sha256: string; raw_bytes: number; raw_sha256: string; compression: string; encryption: string }
interface CopyRow { id: string; set_id: string; target_id: string; media_id: string | null; status: string; stored_at: string; removed_at: string | null }

export class SetsRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  /**
   * Records a complete set with its artifacts and copies in one transaction: either the catalog knows the
   * whole set or nothing of it.
   */
  record(input: { manifest: Manifest; path: string; manifestSha256: string; runId: string | null; jobId: string | null; copies: { targetId: string; mediaId?: string | null }[] }): SetRecord {
    const m = input.manifest;
    this.#db.transaction(() => {
      this.#db.prepare(`INSERT INTO sets (id, run_id, job_id, engine, server, database_name, type, path, started_at, finished_at, server_version, parent_set_id, chain, encryption, bytes, probes, tool_versions, tags, manifest_sha256, app_version)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(m.setId, input.runId, input.jobId, m.engine, m.server, m.database, m.type, input.path, m.startedAt, m.finishedAt, m.serverVersion,
          m.parentSetId, toJson(m.chain), m.encryption.scheme, m.artifacts.reduce((n, a) => n + a.bytes, 0), toJson(m.probes),
          toJson(m.toolVersions), toJson(m.tags), input.manifestSha256, m.appVersion);
      const art = this.#db.prepare('INSERT INTO artifacts (set_id, name, role, bytes, sha256, raw_bytes, raw_sha256, compression, encryption) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const a of m.artifacts) art.run(m.setId, a.name, a.role, a.bytes, a.sha256, a.rawBytes, a.rawSha256, a.compression, a.encryption);
      for (const c of input.copies) this.addCopy(m.setId, c.targetId, c.mediaId ?? null);
    })();
    return this.get(m.setId);
  }

  addCopy(setId: string, targetId: string, mediaId: string | null = null): CopyRecord {
    const existing = this.#db.prepare('SELECT * FROM copies WHERE set_id = ? AND target_id = ? AND media_id IS ?').get(setId, targetId, mediaId) as CopyRow | undefined;
    if (existing) {
      this.#db.prepare("UPDATE copies SET status = 'present', removed_at = NULL WHERE id = ?").run(existing.id);
      return mapCopy({ ...existing, status: 'present', removed_at: null });
    }
    const id = newId('cpy');
    this.#db.prepare('INSERT INTO copies (id, set_id, target_id, media_id, status, stored_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, setId, targetId, mediaId, 'present', nowIso());
    return mapCopy(this.#db.prepare('SELECT * FROM copies WHERE id = ?').get(id) as CopyRow);
  }

  markCopy(copyId: string, status: CopyRecord['status']): void {
    this.#db.prepare('UPDATE copies SET status = ?, removed_at = ? WHERE id = ?').run(status, status === 'present' ? null : nowIso(), copyId);
  }

  has(id: string): boolean {
    return this.#db.prepare('SELECT 1 FROM sets WHERE id = ?').get(id) !== undefined;
  }

  find(id: string): SetRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM sets WHERE id = ?').get(id) as SetRow | undefined;
    return row ? this.#map(row) : undefined;
  }

  get(id: string): SetRecord {
    const s = this.find(id);
    if (!s) throw new LifeboatError('NOT_FOUND', { verb: 'find', thing: 'set', where: id, cause: 'no set with that id in the catalog' });
    return s;
  }

  list(filter: { database?: string; server?: string; jobId?: string; targetId?: string } = {}): SetRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.database) { where.push('database_name = ?'); args.push(filter.database); }
    if (filter.server) { where.push('server = ?'); args.push(filter.server); }
    if (filter.jobId) { where.push('job_id = ?'); args.push(filter.jobId); }
    if (filter.targetId) { where.push("id IN (SELECT set_id FROM copies WHERE target_id = ? AND status = 'present')"); args.push(filter.targetId); }
    const sql = `SELECT * FROM sets ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY finished_at, id`;
    return (this.#db.prepare(sql).all(...args) as SetRow[]).map((r) => this.#map(r));
  }

  remove(id: string): void {
    this.#db.prepare('DELETE FROM sets WHERE id = ?').run(id);
  }

  setLegalHold(id: string, hold: boolean): void {
    this.#db.prepare('UPDATE sets SET legal_hold = ? WHERE id = ?').run(hold ? 1 : 0, id);
  }

  #map(r: SetRow): SetRecord {
    const artifacts = (this.#db.prepare('SELECT * FROM artifacts WHERE set_id = ? ORDER BY rowid').all(r.id) as ArtRow[]).map((a) => ({
      name: a.name, role: a.role, bytes: a.bytes, sha256: a.sha256, rawBytes: a.raw_bytes, rawSha256: a.raw_sha256,
      compression: a.compression as ArtifactEntry['compression'], encryption: a.encryption as ArtifactEntry['encryption'],
    }));
    const copies = (this.#db.prepare('SELECT * FROM copies WHERE set_id = ? ORDER BY stored_at').all(r.id) as CopyRow[]).map(mapCopy);
    return {
      id: r.id, runId: r.run_id, jobId: r.job_id, engine: r.engine, server: r.server, database: r.database_name, type: r.type as SetRecord['type'],
      path: r.path, startedAt: r.started_at, finishedAt: r.finished_at, serverVersion: r.server_version, parentSetId: r.parent_set_id,
      chain: fromJson(r.chain, {}), encryption: r.encryption as SetRecord['encryption'], bytes: r.bytes, probes: fromJson(r.probes, []),
      toolVersions: fromJson(r.tool_versions, {}), tags: fromJson(r.tags, []), manifestSha256: r.manifest_sha256, appVersion: r.app_version,
      legalHold: r.legal_hold === 1, artifacts, copies,
    };
  }
}

function mapCopy(c: CopyRow): CopyRecord {
  return { id: c.id, setId: c.set_id, targetId: c.target_id, mediaId: c.media_id, status: c.status as CopyRecord['status'], storedAt: c.stored_at, removedAt: c.removed_at };
}
