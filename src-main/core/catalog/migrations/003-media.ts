// Schema 3: the removable-media register (DESIGN §2, usb rotation sets). A disk is known by the random id
// in its marker (lifeboat/REPO.json), never by drive letter or mount path; the last path is a hint only.
export const sql = `
CREATE TABLE media (
  id TEXT PRIMARY KEY,
  set_name TEXT NOT NULL,
  label TEXT NOT NULL,
  target_id TEXT REFERENCES targets(id) ON DELETE SET NULL,
  registered_at TEXT NOT NULL,
  first_write_at TEXT,
  last_write_at TEXT,
  last_seen_at TEXT,
  last_seen_path TEXT,
  off_site INTEGER NOT NULL DEFAULT 0,
  off_site_at TEXT
);
CREATE INDEX media_by_set ON media(set_name);
`;
