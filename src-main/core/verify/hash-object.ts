import { createHash } from 'node:crypto';
import type { Target } from '../targets/target.ts';

/** SHA-256 of a stored object: computed where it lives when the target can, otherwise by reading it back. */
export async function hashObject(target: Target, name: string): Promise<{ sha256: string; bytes: number; remote: boolean }> {
  if (target.capabilities.remoteHash && target.hash) {
    const [sha256, info] = await Promise.all([target.hash(name), target.stat(name)]);
    return { sha256, bytes: info.size, remote: true };
  }
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of await target.get(name)) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), bytes, remote: false };
}
