import type { Readable } from 'node:stream';
import type { Logger } from '../util/logger.ts';
import type { BackupType } from '../catalog/jobs-repo.ts';
import type { Manifest, Probe } from '../repo/manifest.ts';
import type { ProgramSpec } from '../pipeline/store-program.ts';

/**
 * The DatabaseEngine seam (DESIGN §2). One instance talks to one source (server). Drivers declare what
 * they can do; callers branch on `capabilities`, never on `kind`.
 */
export interface DatabaseEngine {
  readonly kind: string;
  readonly capabilities: EngineCapabilities;
  /** Server version, edition, databases with sizes. Errors: SOURCE_UNREACHABLE, SOURCE_AUTH_FAILED. */
  probe(): Promise<ProbeResult>;
  /**
   * Optional, for engines with chains: decides the type actually taken (LOG escalates to DIFF, DIFF to FULL
   * when the base is missing; a refusal such as LOG under SIMPLE recovery throws) and the parent set, before
   * anything is written. The runner calls it first and passes the resolved type in `req.type`, so the set's
   * folder name (<stamp>_<type>) always tells the truth.
   */
  resolveBackupType?(req: BackupRequest): Promise<{ type: BackupType; escalatedBecause?: string; parentSetId: string | null }>;
  /** Produces the set's artifacts through `sink`; resolves once every artifact was handed over and stored. */
  backup(req: BackupRequest, sink: ArtifactSink): Promise<BackupOutcome>;
  /** Engine-level check of a stored set (pg_restore --list; RESTORE VERIFYONLY). */
  verify(req: EngineVerifyRequest): Promise<EngineVerifyResult>;
  /** Pure: which sets, in order, bring a database to `at` (undefined: the newest point). */
  planRestore(sets: ReadonlyArray<PlannableSet>, at?: Date): RestorePlan;
  restore(req: EngineRestoreRequest): Promise<EngineRestoreResult>;
  /** Row counts of the given tables in a database (post-restore checks, drills). */
  countRows(database: string, tables: ReadonlyArray<{ schema: string; table: string }>): Promise<Probe[]>;
  databaseExists(database: string): Promise<boolean>;
  /**
   * Optional: renames a database (ending sessions on it). Restoring over a database restores under a staging
   * name first and swaps it in with this, so a failed restore never damages the original.
   */
  renameDatabase?(from: string, to: string): Promise<void>;
  dropDatabase(database: string): Promise<void>;
  /** Optional: an integrity check of a database (DBCC CHECKDB for drills); corruption is `ok: false`, not a throw. */
  check?(database: string): Promise<EngineCheckResult>;
  /** Optional, for drills: one read-only probe query in a (scratch) database; returns the first column of the first row. */
  runProbeQuery?(database: string, sql: string, opts?: { timeoutMs?: number }): Promise<unknown>;
  close(): Promise<void>;
}

export interface EngineCapabilities {
  /** 'stream': the engine hands Lifeboat a byte stream or a program's output; 'file': the server writes a file into staging. */
  artifact: 'stream' | 'file';
  pitr: boolean;
  nativeCompression: boolean;
  differential: boolean;
  log: boolean;
}

export interface ProbeResult {
  serverVersion: string;
  versionMajor: number;
  edition: string | null;
  databases: { name: string; sizeBytes: number; recoveryModel?: string | null }[];
  dataChecksums: boolean | null;
  details: Record<string, unknown>;
}

export interface BackupRequest {
  database: string;
  type: BackupType;
  probeTables: number;
  /**
   * Earlier complete sets of this database (catalog order, oldest first): engines with chains use them to
   * pick the parent and to escalate (LOG to DIFF to FULL) when a base is missing.
   */
  history: ReadonlyArray<PlannableSet>;
  includeGlobals: boolean;
  includeRolePasswords: boolean;
  /** Folder for temporary files (pgpass, staging copies) owned by this run. */
  workDir: string;
  logger: Logger;
  signal?: AbortSignal;
  onProgress?: (p: { phase: string; percent?: number; bytes?: number }) => void;
}

export interface ArtifactSink {
  /** Raw bytes of an artifact; Lifeboat hashes, compresses, encrypts and stores them. */
  stream(name: string, role: string, data: Readable): Promise<void>;
  /**
   * A client program's standard output as an artifact: Lifeboat runs the program (so the raw bytes can go
   * to the compressor without passing through this process) and stores what it writes. Rejects with the
   * program's ToolExitError when it fails, or with the targets' LifeboatError when none could take the bytes.
   */
  program(name: string, role: string, program: ProgramSpec): Promise<void>;
  /** A finished file in a staging folder Lifeboat can read; shipped, then removed by the runner. */
  file(name: string, role: string, path: string, opts?: { compressed?: boolean }): Promise<void>;
}

export interface BackupOutcome {
  /** The type actually taken (after any escalation), and why it differs from the request. */
  type: BackupType;
  escalatedBecause?: string;
  parentSetId: string | null;
  serverVersion: string;
  toolVersions: Record<string, string>;
  probes: Probe[];
  chain: Manifest['chain'];
  warnings: string[];
}

export interface EngineVerifyRequest {
  manifest: Manifest;
  /** Opens the raw (decrypted, decompressed) bytes of an artifact. */
  openArtifact(name: string): Promise<Readable>;
  workDir: string;
}

export interface EngineVerifyResult {
  ok: boolean;
  detail: Record<string, unknown>;
  message?: string;
}

export interface PlannableSet {
  id: string;
  type: BackupType;
  finishedAt: string;
  startedAt: string;
  chain: Manifest['chain'];
  parentSetId: string | null;
}

export interface RestorePlan {
  sets: string[];
  stopAt: Date | null;
  /** A gap in the chain, described exactly, when the plan cannot reach `at`. */
  gap: string | null;
}

export interface EngineRestoreRequest {
  manifests: Manifest[];
  openArtifact(setId: string, name: string): Promise<Readable>;
  destination: string;
  stopAt: Date | null;
  /** Parallel restore jobs (pg_restore -j). */
  jobs: number;
  noOwner: boolean;
  workDir: string;
  logger: Logger;
  onPhase?: (phase: string) => void;
  /** Optional: restore over an existing database of that name (SQL Server REPLACE). Without it an existing one is refused. */
  replace?: boolean;
  /** Optional, with replace: back up the tail of the log first (BACKUP LOG ... WITH NORECOVERY) so no committed work is lost. */
  tailLogBackup?: boolean;
}

export interface EngineCheckResult {
  ok: boolean;
  detail: Record<string, unknown>;
  message?: string;
}

export interface EngineRestoreResult {
  toolVersions: Record<string, string>;
  warnings: string[];
}
