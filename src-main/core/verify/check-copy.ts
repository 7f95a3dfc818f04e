import type { Target } from '../targets/target.ts';
import type { ArtifactEntry } from '../repo/manifest.ts';
import { causeOf, isLifeboatError } from '../errors/lifeboat-error.ts';
import { hashObject } from './hash-object.ts';

export interface ArtifactCheck {
  name: string;
  ok: boolean;
  expected: string;
  actual: string | null;
  bytes: number | null;
  remote: boolean;
  problem: string | null;
}

export interface CopyCheck {
  ok: boolean;
  artifacts: ArtifactCheck[];
  /** The first failure in plain words: "data.dump.zst: SHA-256 differs (expected …, found …)". */
  problem: string | null;
}

/** L1: every artifact of a set on one target against the SHA-256 recorded in the manifest and catalog. */
export async function checkCopy(target: Target, setPath: string, artifacts: ReadonlyArray<ArtifactEntry>): Promise<CopyCheck> {
  const results: ArtifactCheck[] = [];
  for (const a of artifacts) {
    const name = `${setPath}/${a.name}`;
    try {
      const h = await hashObject(target, name);
      const sizeOk = h.bytes === a.bytes;
      const ok = h.sha256 === a.sha256 && sizeOk;
      results.push({
        name: a.name, ok, expected: a.sha256, actual: h.sha256, bytes: h.bytes, remote: h.remote,
        problem: ok ? null : sizeOk ? `SHA-256 differs (expected ${a.sha256}, found ${h.sha256})` : `size differs (expected ${a.bytes} bytes, found ${h.bytes})`,
      });
    } catch (err) {
      const missing = isLifeboatError(err, 'OBJECT_NOT_FOUND');
      results.push({ name: a.name, ok: false, expected: a.sha256, actual: null, bytes: null, remote: false, problem: missing ? 'the file is missing' : causeOf(err) });
    }
  }
  const bad = results.find((r) => !r.ok);
  return { ok: !bad, artifacts: results, problem: bad ? `${bad.name}: ${bad.problem}` : null };
}
