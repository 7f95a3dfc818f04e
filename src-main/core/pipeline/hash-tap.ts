import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** A pass-through that counts and hashes what flows through it, so hashing never needs a second read. */
export class HashTap extends Transform {
  readonly #hash: Hash = createHash('sha256');
  bytes = 0;
  #digest: string | undefined;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.#digest = this.#hash.digest('hex');
    cb();
  }

  /** Hex SHA-256 of everything that passed; only valid once the stream has ended. */
  get sha256(): string {
    if (this.#digest === undefined) throw new Error('hash read before the stream ended');
    return this.#digest;
  }
}
