// Schema 5: the tamper-evident audit trail (hash chain, append-only triggers, signed checkpoints), local
// users with lockout, sessions, e-signatures, and each database's classification and recovery tier.
// Triggers only stop the application and careless hands; an attacker with the file can drop them, which is
// why the chain and the checkpoints signed with a key kept outside this file exist.
export const sql = `
ALTER TABLE audit_events ADD COLUMN role TEXT;
ALTER TABLE audit_events ADD COLUMN host TEXT;
ALTER TABLE audit_events ADD COLUMN old_value TEXT;
ALTER TABLE audit_events ADD COLUMN new_value TEXT;
ALTER TABLE audit_events ADD COLUMN app_version TEXT;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
CREATE INDEX audit_events_by_at ON audit_events(at);

-- Entries from before the chain may be sealed once (hash set from NULL); nothing else may change.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN OLD.hash IS NOT NULL OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
  OR NEW.role IS NOT OLD.role OR NEW.host IS NOT OLD.host OR NEW.action IS NOT OLD.action OR NEW.object IS NOT OLD.object
  OR NEW.old_value IS NOT OLD.old_value OR NEW.new_value IS NOT OLD.new_value OR NEW.outcome IS NOT OLD.outcome
  OR NEW.reason IS NOT OLD.reason OR NEW.detail IS NOT OLD.detail OR NEW.app_version IS NOT OLD.app_version
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

CREATE TABLE audit_checkpoints (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  entry_count INTEGER NOT NULL,
  head_seq INTEGER NOT NULL,
  head_hash TEXT NOT NULL,
  key_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  signature TEXT NOT NULL,
  trigger TEXT NOT NULL,
  actor TEXT NOT NULL
);
CREATE INDEX audit_checkpoints_by_at ON audit_checkpoints(at);
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;

ALTER TABLE users ADD COLUMN full_name TEXT;
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN failed_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN first_failed_at TEXT;
ALTER TABLE users ADD COLUMN locked_until TEXT;
ALTER TABLE users ADD COLUMN password_changed_at TEXT;
ALTER TABLE users ADD COLUMN updated_at TEXT;

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  locked_at TEXT,
  ended_at TEXT
);

CREATE TABLE signatures (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  full_name TEXT NOT NULL,
  role TEXT NOT NULL,
  meaning TEXT NOT NULL CHECK (meaning IN ('performed', 'reviewed', 'approved')),
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  reason TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  audit_seq INTEGER NOT NULL,
  audit_hash TEXT NOT NULL,
  used_at TEXT,
  used_for TEXT
);
CREATE INDEX signatures_by_time ON signatures(signed_at);
-- A signature is consumed once (used_at set from NULL) and never edited or removed.
CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
WHEN OLD.used_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.user_id IS NOT OLD.user_id OR NEW.user_name IS NOT OLD.user_name
  OR NEW.full_name IS NOT OLD.full_name OR NEW.role IS NOT OLD.role OR NEW.meaning IS NOT OLD.meaning OR NEW.action IS NOT OLD.action
  OR NEW.object IS NOT OLD.object OR NEW.reason IS NOT OLD.reason OR NEW.signed_at IS NOT OLD.signed_at
  OR NEW.audit_seq IS NOT OLD.audit_seq OR NEW.audit_hash IS NOT OLD.audit_hash
BEGIN SELECT RAISE(ABORT, 'signatures are immutable'); END;
CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures are immutable'); END;

CREATE TABLE database_profiles (
  server TEXT NOT NULL,
  database_name TEXT NOT NULL,
  classification TEXT,
  criticality INTEGER,
  owner TEXT,
  notes TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (server, database_name)
);
`;
