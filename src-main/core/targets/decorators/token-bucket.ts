/**
 * A token bucket in bytes: `rate` bytes per second on average, bursts up to `burst`. Takers queue in
 * order, so concurrent streams through one bucket share the cap instead of each getting all of it.
 */
export class TokenBucket {
  readonly rate: number;
  readonly burst: number;
  #tokens: number;
  #last: number;
  #queue: Promise<void> = Promise.resolve();
  readonly #now: () => number;

  constructor(rate: number, burst: number = Math.max(64 * 1024, Math.floor(rate / 4)), now: () => number = () => performance.now()) {
    if (!(rate > 0)) throw new RangeError('rate must be a positive number of bytes per second');
    this.rate = rate;
    this.burst = Math.max(1, burst);
    this.#tokens = this.burst;
    this.#now = now;
    this.#last = now();
  }

  /** Resolves once `bytes` may pass. */
  take(bytes: number): Promise<void> {
    const turn = this.#queue.then(() => this.#take(bytes));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #take(bytes: number): Promise<void> {
    let left = bytes;
    while (left > 0) {
      this.#refill();
      const want = Math.min(left, this.burst);
      if (this.#tokens >= want) {
        this.#tokens -= want;
        left -= want;
        continue;
      }
      await new Promise((r) => setTimeout(r, Math.max(1, Math.ceil(((want - this.#tokens) / this.rate) * 1000))));
    }
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.rate);
    this.#last = now;
  }
}
