import { Readable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import { StallWatch } from './stall-watch.ts';

const READ_SIZE = 1024 * 1024;
const AHEAD = 4;

/**
 * Reads [start, end] of an open SFTP handle with a few 1 MiB requests in flight, in order: ssh2's own read
 * stream keeps one request outstanding and runs at a fraction of the link. The handle is closed at the end
 * and on destroy. A read fails when the session ends (`gone`) or when no block arrives for `stallMs` while
 * some are requested (the stall watchdog), so a consumer never waits forever on a dead link.
 */
export class SftpReader extends Readable {
  readonly #sftp: SFTPWrapper;
  readonly #handle: Buffer;
  readonly #end: number;
  readonly #mapError: (err: unknown) => Error;
  readonly #gone: Promise<never>;
  readonly #stalled: Promise<never>;
  readonly #watch: StallWatch;
  #next: number;
  #queue: Promise<Buffer>[] = [];
  #closed = false;

  constructor(sftp: SFTPWrapper, handle: Buffer, start: number, endInclusive: number, mapError: (err: unknown) => Error, gone: Promise<never>, stall: { ms: number; onStall: (err: Error) => void }) {
    super({ highWaterMark: READ_SIZE });
    this.#sftp = sftp;
    this.#handle = handle;
    this.#next = start;
    this.#end = endInclusive;
    this.#mapError = mapError;
    this.#gone = gone;
    let stalled: (err: Error) => void = () => undefined;
    this.#stalled = new Promise<never>((_, reject) => { stalled = reject; });
    this.#stalled.catch(() => undefined);
    this.#watch = new StallWatch(stall.ms, (err) => {
      stalled(err);
      stall.onStall(err);
    });
  }

  override _read(): void {
    while (this.#queue.length < AHEAD && this.#next <= this.#end) {
      const at = this.#next;
      const len = Math.min(READ_SIZE, this.#end - at + 1);
      this.#next += len;
      this.#watch.begin();
      const p = Promise.race([new Promise<Buffer>((resolve, reject) => {
        const buf = Buffer.allocUnsafe(len);
        this.#sftp.read(this.#handle, buf, 0, len, at, (err, n) => {
          this.#watch.end();
          if (err) return reject(err);
          // The size came from stat: fewer bytes means the object changed while it was read.
          if (n !== len) return reject(new Error(`short read at ${at}: ${n} of ${len} bytes (the object changed while it was read)`));
          resolve(buf);
        });
      }), this.#gone, this.#stalled]);
      p.catch(() => undefined);
      this.#queue.push(p);
    }
    const head = this.#queue.shift();
    if (!head) {
      this.#close();
      this.push(null);
      return;
    }
    head.then((buf) => this.push(buf), (err: unknown) => this.destroy(this.#mapError(err)));
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.#close();
    cb(err);
  }

  #close(): void {
    this.#watch.stop();
    if (this.#closed) return;
    this.#closed = true;
    try { this.#sftp.close(this.#handle, () => undefined); } catch { /* the session is gone */ }
  }
}
