import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { LifeboatError } from '../errors/lifeboat-error.ts';

/** How many bytes, and their SHA-256 (hex). */
export interface ByteDigest {
  bytes: number;
  sha256: string;
}

/** A pass-through that counts and hashes what flows through it, so hashing never needs a second read. */
export class HashTap extends Transform {
  readonly #hash: Hash = createHash('sha256');
  readonly #expect: { sha256: string; where: string } | undefined;
  bytes = 0;
  #digest: string | undefined;

  /** With `expect`, the stream errors at its end when the bytes differ: a consumer never takes a bad file as good. */
  constructor(expect?: { sha256: string; where: string }) {
    super({ highWaterMark: 1024 * 1024 });
    this.#expect = expect;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.#digest = this.#hash.digest('hex');
    if (this.#expect && this.#expect.sha256 !== this.#digest) {
      cb(new LifeboatError('VERIFY_MISMATCH', { verb: 'read', thing: 'artifact', where: this.#expect.where, cause: `the restored bytes' SHA-256 ${this.#digest} differs from the manifest's ${this.#expect.sha256}` }));
      return;
    }
    cb();
  }

  /** Hex SHA-256 of everything that passed; only valid once the stream has ended. */
  get sha256(): string {
    if (this.#digest === undefined) throw new Error('hash read before the stream ended');
    return this.#digest;
  }
}
