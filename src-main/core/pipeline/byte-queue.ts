/**
 * Chunks as they arrive, taken back out in pieces of a chosen size. A piece lying inside one chunk is a view
 * of it; one spanning chunks costs a single copy. Appending with Buffer.concat instead copies everything
 * still pending on every arrival: with a pipe's small reads that is many times the data, and the garbage
 * it leaves drives the collector.
 */
export class ByteQueue {
  #chunks: Buffer[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** The first `n` bytes (n ≤ length), removed from the queue. */
  take(n: number): Buffer {
    if (n > this.#length) throw new RangeError(`take(${n}) from a queue of ${this.#length} bytes`);
    this.#length -= n;
    const first = this.#chunks[0];
    if (first && first.length >= n) {
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    while (at < n) {
      const c = this.#chunks[0]!;
      const k = Math.min(c.length, n - at);
      c.copy(out, at, 0, k);
      at += k;
      if (k === c.length) this.#chunks.shift();
      else this.#chunks[0] = c.subarray(k);
    }
    return out;
  }

  /** The first `n` bytes without removing them (a copy only when they span chunks). */
  peek(n: number): Buffer {
    const first = this.#chunks[0];
    if (first && first.length >= n) return first.subarray(0, n);
    const all = this.take(Math.min(n, this.#length));
    if (all.length > 0) {
      this.#chunks.unshift(all);
      this.#length += all.length;
    }
    return all;
  }
}
