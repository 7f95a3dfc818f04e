import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ArtifactSink, BackupOutcome, PlannableSet } from '../../../src-main/core/engines/engine.ts';
import type { Manifest } from '../../../src-main/core/repo/manifest.ts';

/**
 * What the runner does with a file-kind engine's output, reduced to a folder: copy the staged file into an
 * archive, then remove it from staging. Engine tests use it where the runner is not under test.
 */
export class FolderSink implements ArtifactSink {
  readonly dir: string;
  readonly received: { name: string; role: string; stagedAt: string; compressed: boolean; archived: string }[] = [];

  constructor(dir: string) {
    this.dir = dir;
    fs.mkdirSync(dir, { recursive: true });
  }

  async stream(): Promise<void> {
    throw new Error('a file-kind engine must hand over files');
  }

  async program(): Promise<void> {
    throw new Error('a file-kind engine must hand over files');
  }

  async file(name: string, role: string, p: string, opts?: { compressed?: boolean }): Promise<void> {
    const archived = path.join(this.dir, name);
    fs.copyFileSync(p, archived);
    fs.rmSync(p);
    this.received.push({ name, role, stagedAt: p, compressed: Boolean(opts?.compressed), archived });
  }
}

export function asPlannable(id: string, startedAt: Date, o: BackupOutcome): PlannableSet {
  return { id, type: o.type, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), chain: o.chain, parentSetId: o.parentSetId };
}

export function asManifest(id: string, database: string, set: PlannableSet, artifact: string, role: string): Manifest {
  return {
    format: 'lifeboat-set', formatVersion: 1, setId: id, engine: 'mssql', server: 'plant', database, serverVersion: '16.0', type: set.type,
    parentSetId: set.parentSetId, chain: set.chain, startedAt: set.startedAt, finishedAt: set.finishedAt, toolVersions: {}, appVersion: 'test',
    encryption: { scheme: 'none' }, artifacts: [{ name: artifact, role, bytes: 0, sha256: '0'.repeat(64), rawBytes: 0, rawSha256: '0'.repeat(64), compression: 'none', encryption: 'none' }],
    probes: [], tags: [], job: null,
  };
}

export function openFrom(dir: string) {
  return async (_setId: string, name: string): Promise<Readable> => fs.createReadStream(path.join(dir, name));
}
