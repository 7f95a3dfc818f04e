import fsp, { type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

/** How much is written between two background flushes (see writeDurably). */
export const FLUSH_EVERY = 32 * 1024 * 1024;

/**
 * Writes `data` into the new file `file` (which must not exist) and returns, with the byte count, once every
 * byte is on the disk (fsync).
 *
 * Every `flushEvery` bytes a data sync runs in the background while writing goes on. Without it the page cache
 * takes the whole artifact and the closing fsync writes it all at once: on a USB 2.0 disk a gigabyte of dirty
 * pages is a minute spent at "100 %", and on any disk it is time after the dump that nothing overlaps.
 * A failing flush (EIO, a full thin volume) fails the write. A failure of either side ends the other, as
 * `pipeline` does.
 */
export async function writeDurably(file: string, data: Readable, opts: { signal?: AbortSignal; flushEvery?: number } = {}): Promise<number> {
  const out = new DurableFile(file, opts.flushEvery ?? FLUSH_EVERY);
  try {
    await pipeline(data, out, opts.signal ? { signal: opts.signal } : {});
    await out.synced();
    return out.bytes;
  } finally {
    await out.release();
  }
}

/**
 * The file as a stream that owns its descriptor: unlike fs.WriteStream it never closes it on its own, because a
 * background flush may still be running when the stream ends or fails, and must never meet a descriptor that
 * is closed (or already reused by another open).
 */
class DurableFile extends Writable {
  bytes = 0;
  readonly file: string;
  readonly flushEvery: number;
  #handle: FileHandle | null = null;
  #flushedAt = 0;
  #flushing: Promise<void> | null = null;
  #flushError: Error | null = null;

  constructor(file: string, flushEvery: number) {
    super({ highWaterMark: 1024 * 1024 });
    this.file = file;
    this.flushEvery = flushEvery;
  }

  override _construct(cb: (err?: Error | null) => void): void {
    fsp.open(this.file, 'wx').then((fh) => { this.#handle = fh; cb(); }, cb);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.#writeAll([chunk]).then(() => cb(), cb);
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, cb: (err?: Error | null) => void): void {
    this.#writeAll(chunks.map((c) => c.chunk)).then(() => cb(), cb);
  }

  async #writeAll(buffers: Buffer[]): Promise<void> {
    const total = buffers.reduce((n, b) => n + b.length, 0);
    let done = (await this.#handle!.writev(buffers)).bytesWritten;
    if (done < total) {
      const rest = Buffer.concat(buffers, total);
      while (done < total) done += (await this.#handle!.write(rest, done, total - done)).bytesWritten;
    }
    this.bytes += total;
    if (!this.#flushing && this.bytes - this.#flushedAt >= this.flushEvery) this.#flush();
  }

  #flush(): void {
    this.#flushedAt = this.bytes;
    this.#flushing = this.#handle!.datasync().then(
      () => { this.#flushing = null; },
      (err: Error) => { this.#flushing = null; this.#flushError = err; this.destroy(err); },
    );
  }

  /** After the last write: waits for a background flush, then syncs the whole file. */
  async synced(): Promise<void> {
    await this.#flushing;
    if (this.#flushError) throw this.#flushError;
    await this.#handle!.sync();
  }

  /** Closes the file once no flush is running; after a failure too. */
  async release(): Promise<void> {
    await this.#flushing;
    await this.#handle?.close();
    this.#handle = null;
  }
}
