import { Transform, type Readable } from 'node:stream';
import type { Target } from '../target.ts';
import { TokenBucket } from './token-bucket.ts';

export interface ThrottleLimits {
  /** Upload cap in bytes per second (shared by all puts through this target); absent = unlimited. */
  uploadBytesPerSecond?: number | undefined;
  downloadBytesPerSecond?: number | undefined;
}

/** A bandwidth cap around any target, so a backup to the NAS over the plant's WAN link leaves room for production. */
export function withThrottle(inner: Target, limits: ThrottleLimits): Target {
  const up = limits.uploadBytesPerSecond ? new TokenBucket(limits.uploadBytesPerSecond) : null;
  const down = limits.downloadBytesPerSecond ? new TokenBucket(limits.downloadBytesPerSecond) : null;
  // Delegating by prototype keeps what a driver adds beyond the seam (a rotated disk's identity) visible.
  const wrapped: Target = Object.assign(Object.create(inner) as Target, {
    put: (name, data, opts) => inner.put(name, up ? paced(data, up) : data, opts),
    get: async (name, range) => {
      const r = await inner.get(name, range);
      return down ? paced(r, down) : r;
    },
    stat: (name) => inner.stat(name),
    list: (prefix) => inner.list(prefix),
    remove: (name) => inner.remove(name),
    close: () => inner.close(),
  } satisfies Pick<Target, 'put' | 'get' | 'stat' | 'list' | 'remove' | 'close'>);
  if (inner.hash) wrapped.hash = (name) => inner.hash!(name);
  if (inner.freeSpace) wrapped.freeSpace = () => inner.freeSpace!();
  return wrapped;
}

const SLICE = 64 * 1024;

function paced(source: Readable, bucket: TokenBucket): Readable {
  const t = new Transform({
    async transform(chunk: Buffer, _enc, cb) {
      try {
        for (let i = 0; i < chunk.length; i += SLICE) {
          const piece = chunk.subarray(i, i + SLICE);
          await bucket.take(piece.length);
          this.push(piece);
        }
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
  });
  // The source's failure must reach the driver, which then discards its temporary upload.
  source.on('error', (err) => t.destroy(err));
  t.on('close', () => { if (!source.readableEnded) source.destroy(); });
  return source.pipe(t);
}
