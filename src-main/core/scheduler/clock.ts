/**
 * Time as the scheduler sees it. The agent uses the system clock; tests drive a FakeClock across DST days
 * and downtimes without waiting.
 */
export interface Clock {
  now(): Date;
  /** Resolves after `ms` of this clock's time, or early when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) => new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); }
    signal?.addEventListener('abort', done, { once: true });
  }),
};

export class FakeClock implements Clock {
  #now: number;
  #sleepers: { until: number; resolve: () => void }[] = [];

  constructor(start: Date | string) {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const s = { until: this.#now + ms, resolve };
      this.#sleepers.push(s);
      signal?.addEventListener('abort', () => { this.#sleepers = this.#sleepers.filter((x) => x !== s); resolve(); }, { once: true });
    });
  }

  /** Moves time forward and wakes every sleeper whose time has come. */
  advance(ms: number): void {
    this.set(new Date(this.#now + ms));
  }

  set(to: Date | string): void {
    this.#now = new Date(to).getTime();
    const due = this.#sleepers.filter((s) => s.until <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.until > this.#now);
    for (const s of due) s.resolve();
  }
}
