// Schema 1: the tables of DESIGN §2. Secrets are stored sealed (SecretBox), never in plaintext.
export const sql = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE sources (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  config TEXT NOT NULL,
  secret TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE targets (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  config TEXT NOT NULL,
  secret TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  source_id TEXT NOT NULL REFERENCES sources(id),
  databases TEXT NOT NULL,
  backup_type TEXT NOT NULL DEFAULT 'full',
  schedule TEXT,
  options TEXT NOT NULL,
  secret TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE job_targets (
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  target_id TEXT NOT NULL REFERENCES targets(id),
  position INTEGER NOT NULL,
  PRIMARY KEY (job_id, target_id)
);

CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  job_id TEXT REFERENCES jobs(id) ON DELETE SET NULL,
  database_name TEXT,
  trigger TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  pid INTEGER,
  host TEXT,
  error_code TEXT,
  error_message TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX runs_by_status ON runs(status);
CREATE INDEX runs_by_job ON runs(job_id, started_at);

CREATE TABLE run_phases (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  phase TEXT NOT NULL,
  seq INTEGER NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  bytes INTEGER NOT NULL DEFAULT 0,
  error_code TEXT,
  error_message TEXT,
  PRIMARY KEY (run_id, seq)
);

CREATE TABLE sets (
  id TEXT PRIMARY KEY,
  run_id TEXT REFERENCES runs(id) ON DELETE SET NULL,
  job_id TEXT REFERENCES jobs(id) ON DELETE SET NULL,
  engine TEXT NOT NULL,
  server TEXT NOT NULL,
  database_name TEXT NOT NULL,
  type TEXT NOT NULL,
  path TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  server_version TEXT,
  parent_set_id TEXT,
  chain TEXT NOT NULL DEFAULT '{}',
  encryption TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  probes TEXT NOT NULL DEFAULT '[]',
  tool_versions TEXT NOT NULL DEFAULT '{}',
  tags TEXT NOT NULL DEFAULT '[]',
  manifest_sha256 TEXT NOT NULL,
  app_version TEXT NOT NULL,
  legal_hold INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sets_by_db ON sets(server, database_name, finished_at);

CREATE TABLE artifacts (
  set_id TEXT NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  raw_bytes INTEGER NOT NULL,
  raw_sha256 TEXT NOT NULL,
  compression TEXT NOT NULL,
  encryption TEXT NOT NULL,
  PRIMARY KEY (set_id, name)
);

CREATE TABLE copies (
  id TEXT PRIMARY KEY,
  set_id TEXT NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
  target_id TEXT NOT NULL,
  media_id TEXT,
  status TEXT NOT NULL,
  stored_at TEXT NOT NULL,
  removed_at TEXT,
  UNIQUE (set_id, target_id, media_id)
);

CREATE TABLE verifications (
  id TEXT PRIMARY KEY,
  set_id TEXT NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
  copy_id TEXT REFERENCES copies(id) ON DELETE CASCADE,
  level INTEGER NOT NULL,
  result TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  triggered_by TEXT NOT NULL,
  run_id TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX verifications_by_set ON verifications(set_id, finished_at);

CREATE TABLE restores (
  id TEXT PRIMARY KEY,
  run_id TEXT REFERENCES runs(id),
  set_id TEXT,
  source_id TEXT,
  destination TEXT NOT NULL,
  mode TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  duration_ms INTEGER,
  safety_set_id TEXT,
  override_reason TEXT,
  requested_by TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE drills (
  id TEXT PRIMARY KEY,
  run_id TEXT REFERENCES runs(id),
  set_id TEXT,
  database_name TEXT NOT NULL,
  server TEXT NOT NULL,
  scratch_name TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  restore_ms INTEGER,
  achieved_rpo_ms INTEGER,
  checks TEXT NOT NULL DEFAULT '[]',
  error_message TEXT,
  scratch_dropped INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  rule TEXT NOT NULL,
  cause_key TEXT NOT NULL,
  severity TEXT NOT NULL,
  subject TEXT NOT NULL,
  message TEXT NOT NULL,
  status TEXT NOT NULL,
  first_at TEXT NOT NULL,
  last_at TEXT NOT NULL,
  last_sent_at TEXT,
  occurrences INTEGER NOT NULL DEFAULT 1,
  ack_by TEXT,
  ack_at TEXT,
  cleared_at TEXT
);
CREATE UNIQUE INDEX alerts_one_open_per_cause ON alerts(cause_key) WHERE status <> 'cleared';

CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT,
  outcome TEXT NOT NULL,
  reason TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`;
