// Schema 4: what the agent keeps between restarts: recovery objectives, the scheduler's last handled slot
// per job (so downtime is detected and missed slots recorded), and the record of every slot's outcome.
export const sql = `
CREATE TABLE objectives (
  server TEXT NOT NULL,
  database_name TEXT NOT NULL,
  rpo_seconds INTEGER,
  rto_seconds INTEGER,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (server, database_name)
);

CREATE TABLE schedule_state (
  job_id TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
  schedule TEXT NOT NULL,
  timezone TEXT NOT NULL,
  last_slot TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE schedule_events (
  id TEXT PRIMARY KEY,
  job_id TEXT REFERENCES jobs(id) ON DELETE CASCADE,
  slot_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  outcome TEXT NOT NULL,
  trigger TEXT,
  missed_slots INTEGER NOT NULL DEFAULT 0,
  run_ids TEXT NOT NULL DEFAULT '[]',
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX schedule_events_by_job ON schedule_events(job_id, slot_at);

ALTER TABLE alerts ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';
`;
