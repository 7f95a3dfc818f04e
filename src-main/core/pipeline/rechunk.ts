import { Transform, type TransformCallback } from 'node:stream';

/**
 * Gathers small chunks into large ones. A tool writing through C stdio without stdbuf (pg_dump on Windows, or
 * where stdbuf does not work) writes 4 KiB at a time, so its pipe yields tens of thousands of
 * small reads; every later stage (hash, the compressor's pipe, the cipher) pays per chunk, not per byte.
 * Chunks already large pass through without a copy.
 */
export class Rechunk extends Transform {
  readonly #size: number;
  #parts: Buffer[] = [];
  #length = 0;

  constructor(size = 64 * 1024) {
    super({ highWaterMark: size * 2 });
    this.#size = size;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.#length === 0 && chunk.length >= this.#size) {
      this.push(chunk);
      return cb();
    }
    this.#parts.push(chunk);
    this.#length += chunk.length;
    if (this.#length >= this.#size) this.#emit();
    cb();
  }

  override _flush(cb: TransformCallback): void {
    if (this.#length > 0) this.#emit();
    cb();
  }

  #emit(): void {
    this.push(this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#length));
    this.#parts = [];
    this.#length = 0;
  }
}
