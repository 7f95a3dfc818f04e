import type { Db } from './open-catalog.ts';
import { nowIso } from './json-column.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

export interface MediaRecord {
  id: string;
  setName: string;
  label: string;
  targetId: string | null;
  registeredAt: string;
  firstWriteAt: string | null;
  lastWriteAt: string | null;
  lastSeenAt: string | null;
  lastSeenPath: string | null;
  /** Taken off site (ejected): the offline copy of 3-2-1-1-0. Cleared when the disk is seen again. */
  offSite: boolean;
  offSiteAt: string | null;
  /** Sets with a present copy on this disk. */
  setsHeld: number;
}

interface Row { id: string; set_name: string; label: string; target_id: string | null; registered_at: string; first_write_at: string | null; last_write_at: string | null; last_seen_at: string | null; last_seen_path: string | null; off_site: number; off_site_at: string | null; sets_held: number }

const SELECT = `SELECT m.*, (SELECT count(DISTINCT c.set_id) FROM copies c WHERE c.media_id = m.id AND c.status = 'present') AS sets_held FROM media m`;

/** The register of rotated disks: what each holds, when it was written and seen, whether it is off site. */
export class MediaRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  /** Adds a disk, or updates its label, set and target when it is initialised again. */
  register(input: { id: string; setName: string; label: string; targetId?: string | null }): MediaRecord {
    this.#db.prepare(`INSERT INTO media (id, set_name, label, target_id, registered_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET set_name = excluded.set_name, label = excluded.label, target_id = COALESCE(excluded.target_id, media.target_id)`)
      .run(input.id, input.setName, input.label, input.targetId ?? null, nowIso());
    return this.get(input.id);
  }

  /**
   * A disk was found mounted. An ejected disk stays mounted until someone pulls it, so being seen right
   * after the eject does not bring it back on site; seen an hour or more later, it has come back.
   */
  markSeen(id: string, where: string, at: string = nowIso()): void {
    const back = new Date(new Date(at).getTime() - 3600_000).toISOString();
    this.#db.prepare(`UPDATE media SET last_seen_at = ?, last_seen_path = ?,
      off_site = CASE WHEN off_site = 1 AND off_site_at <= ? THEN 0 ELSE off_site END,
      off_site_at = CASE WHEN off_site = 1 AND off_site_at <= ? THEN NULL ELSE off_site_at END WHERE id = ?`).run(at, where, back, back, id);
  }

  /** A set was written to the disk: it is certainly on site now. */
  markWritten(id: string, at: string = nowIso()): void {
    this.#db.prepare('UPDATE media SET first_write_at = COALESCE(first_write_at, ?), last_write_at = ?, last_seen_at = ?, off_site = 0, off_site_at = NULL WHERE id = ?').run(at, at, at, id);
  }

  setOffSite(id: string, offSite: boolean, at: string = nowIso()): void {
    this.get(id);
    this.#db.prepare('UPDATE media SET off_site = ?, off_site_at = ? WHERE id = ?').run(offSite ? 1 : 0, offSite ? at : null, id);
  }

  find(id: string): MediaRecord | undefined {
    const row = this.#db.prepare(`${SELECT} WHERE m.id = ?`).get(id) as Row | undefined;
    return row ? map(row) : undefined;
  }

  get(id: string): MediaRecord {
    const m = this.find(id);
    if (!m) throw new LifeboatError('NOT_FOUND', { verb: 'find', thing: 'disk', where: id, cause: 'no disk with that id in the media register' });
    return m;
  }

  list(filter: { setName?: string } = {}): MediaRecord[] {
    const rows = filter.setName
      ? this.#db.prepare(`${SELECT} WHERE m.set_name = ? ORDER BY m.label, m.id`).all(filter.setName)
      : this.#db.prepare(`${SELECT} ORDER BY m.set_name, m.label, m.id`).all();
    return (rows as Row[]).map(map);
  }
}

function map(r: Row): MediaRecord {
  return {
    id: r.id, setName: r.set_name, label: r.label, targetId: r.target_id, registeredAt: r.registered_at, firstWriteAt: r.first_write_at,
    lastWriteAt: r.last_write_at, lastSeenAt: r.last_seen_at, lastSeenPath: r.last_seen_path, offSite: r.off_site === 1, offSiteAt: r.off_site_at, setsHeld: r.sets_held,
  };
}
