import type { Readable } from 'node:stream';
import type { Target } from '../targets/target.ts';
import type { ArtifactEntry } from '../repo/manifest.ts';
import type { DecryptionKeys } from '../pipeline/age-crypt.ts';
import { loadPipeline } from '../pipeline/store-pipeline.ts';

/**
 * The raw bytes of a stored artifact (decrypted, decompressed). The stream fails at its end if the raw
 * SHA-256 differs from the manifest, so a restore can never complete from a silently damaged file.
 */
export async function openArtifact(target: Target, setPath: string, artifact: ArtifactEntry, keys: DecryptionKeys): Promise<Readable> {
  const where = `${target.location}/${setPath}/${artifact.name}`;
  const { stream } = await loadPipeline(await target.get(`${setPath}/${artifact.name}`), artifact, keys, where);
  return stream;
}
