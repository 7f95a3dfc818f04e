import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** Everything a stream yields, as one buffer (test data is small enough to hold). */
export async function collect(s: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}

export const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
