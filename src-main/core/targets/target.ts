import type { Readable } from 'node:stream';

/**
 * The Target seam (DESIGN §2). Object names are '/'-separated paths relative to the target's root, for
 * example "lifeboat/plant-pg/mes/20261125T184200Z_full/data.dump.zst". Every driver passes
 * test/contract/target-contract.ts against a real server; wrappers (retry, throttle) implement this same
 * interface.
 */
export interface Target {
  readonly kind: string;
  /** Human label used in messages: a folder path, sftp://host/path, a rotation set's name. */
  readonly location: string;
  readonly capabilities: TargetCapabilities;

  /**
   * Stores the stream under `name`. Atomic: the bytes go to a temporary name and are renamed into place
   * only after the stream ended and was flushed; after a failed or aborted put no object exists under
   * `name` (a previous object under that name stays untouched). Parent folders are created as needed.
   * Errors: TARGET_MISSING, TARGET_NOT_WRITABLE, TARGET_FULL, TARGET_UNREACHABLE, or the source's error.
   */
  put(name: string, data: Readable, opts?: { signal?: AbortSignal }): Promise<PutResult>;

  /** Reads an object, optionally the inclusive byte range [start, end]. Errors: OBJECT_NOT_FOUND. */
  get(name: string, range?: { start: number; end?: number }): Promise<Readable>;

  /** Size and modification time. A missing object raises OBJECT_NOT_FOUND (never returns undefined). */
  stat(name: string): Promise<ObjectInfo>;

  /** Every object whose name starts with `prefix`, recursively, temporary (partial) uploads included. */
  list(prefix: string): Promise<ObjectInfo[]>;

  /** Removes an object; a missing object is not an error. Emptied folders may be pruned. */
  remove(name: string): Promise<void>;

  /** SHA-256 (hex) computed where the object lives, without transferring it. Present iff capabilities.remoteHash. */
  hash?(name: string): Promise<string>;

  /** Bytes available for new objects. Present iff capabilities.freeSpace. */
  freeSpace?(): Promise<number>;

  close(): Promise<void>;
}

export interface TargetCapabilities {
  atomicRename: boolean;
  remoteHash: boolean;
  freeSpace: boolean;
  removable: boolean;
}

export interface PutResult {
  bytes: number;
}

export interface ObjectInfo {
  name: string;
  size: number;
  mtime: Date;
}

/** Suffix of an upload in progress; a name ending in it is never a finished object. */
export const PARTIAL_SUFFIX = '.partial';
