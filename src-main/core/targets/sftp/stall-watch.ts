/**
 * Notices a link that stopped moving: armed while requests are outstanding, restarted by every answer
 * (a write acknowledged, a block read). Silence for `ms` with something outstanding calls `onStall` once,
 * with the StallError that names the limit.
 * A dead TCP peer, a frozen server process or a NAT that dropped the flow all look like this; ssh2's
 * keep-alive catches only some of them, and only when it is enabled.
 */
export class StallWatch {
  readonly #ms: number;
  readonly #onStall: (err: StallError) => void;
  #outstanding = 0;
  #timer: NodeJS.Timeout | null = null;
  #fired = false;

  constructor(ms: number, onStall: (err: StallError) => void) {
    this.#ms = ms;
    this.#onStall = onStall;
  }

  /** A request went out. */
  begin(): void {
    this.#outstanding++;
    if (!this.#timer) this.#arm();
  }

  /** A request was answered: progress. */
  end(): void {
    this.#outstanding = Math.max(0, this.#outstanding - 1);
    this.#clear();
    if (this.#outstanding > 0) this.#arm();
  }

  stop(): void {
    this.#outstanding = 0;
    this.#clear();
  }

  #arm(): void {
    if (this.#fired || this.#ms <= 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#outstanding === 0 || this.#fired) return;
      this.#fired = true;
      this.#onStall(new StallError(this.#ms));
    }, this.#ms);
  }

  #clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

/** The cause of a stalled connection: no SFTP status, so fromSftp maps it to TARGET_UNREACHABLE (retryable). */
export class StallError extends Error {
  override readonly name = 'StallError';
  constructor(ms: number) {
    super(`no progress for ${formatSeconds(ms)} (the connection stalled)`);
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
