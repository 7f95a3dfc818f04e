import { Writable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import { StallWatch } from './stall-watch.ts';

const WRITE_SIZE = 1024 * 1024;
const IN_FLIGHT = 4;

/**
 * Writes a stream to an open SFTP handle in 1 MiB requests with a few in flight: small writes one at a
 * time ran at 1 MB/s over ssh2 (STACK-NOTES), this shape runs at the link's speed. Errors from the server
 * are passed through `mapError`, so the caller can tell them apart from the source stream's own errors.
 * Nothing here waits on the server without a way out: the session's end (`gone`) and the stall watchdog
 * (no write acknowledged for `stallMs` while some are outstanding) both fail the stream.
 */
export class SftpWriter extends Writable {
  readonly #sftp: SFTPWrapper;
  readonly #handle: Buffer;
  readonly #mapError: (err: unknown) => Error;
  #parts: Buffer[] = [];
  #partBytes = 0;
  #position = 0;
  #inFlight = 0;
  #error: Error | null = null;
  #onSlot: (() => void) | null = null;
  #onIdle: (() => void) | null = null;
  readonly #watch: StallWatch;
  bytes = 0;

  constructor(sftp: SFTPWrapper, handle: Buffer, mapError: (err: unknown) => Error, gone: Promise<never>, stall: { ms: number; onStall: (err: Error) => void }) {
    super({ highWaterMark: WRITE_SIZE });
    this.#sftp = sftp;
    this.#handle = handle;
    this.#mapError = mapError;
    // Requests in flight when the link dies may never be answered: release whoever waits for them.
    gone.catch((err: unknown) => this.#fail(err));
    this.#watch = new StallWatch(stall.ms, (err) => {
      this.#fail(err);
      // The session is unusable (later requests would queue behind the stuck ones): the target drops it.
      stall.onStall(err);
    });
  }

  #fail(err: unknown): void {
    this.#watch.stop();
    this.#error ??= this.#mapError(err);
    const slot = this.#onSlot;
    const idle = this.#onIdle;
    this.#onSlot = null;
    this.#onIdle = null;
    slot?.();
    idle?.();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.#error) return cb(this.#error);
    this.bytes += chunk.length;
    this.#parts.push(chunk);
    this.#partBytes += chunk.length;
    if (this.#partBytes >= WRITE_SIZE) this.#send();
    if (this.#inFlight < IN_FLIGHT) return cb();
    this.#onSlot = () => cb(this.#error);
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.#partBytes > 0 && !this.#error) this.#send();
    // After an error (a lost link above all) the requests still in flight may never be answered: waiting
    // for them would leave the put, and the run, pending forever.
    if (this.#inFlight === 0 || this.#error) return cb(this.#error);
    this.#onIdle = () => cb(this.#error);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.#watch.stop();
    cb(err);
  }

  #send(): void {
    const buf = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#partBytes);
    this.#parts = [];
    this.#partBytes = 0;
    const at = this.#position;
    this.#position += buf.length;
    this.#inFlight++;
    this.#watch.begin();
    this.#sftp.write(this.#handle, buf, 0, buf.length, at, (err) => {
      this.#inFlight--;
      this.#watch.end();
      if (err && !this.#error) this.#error = this.#mapError(err);
      const slot = this.#onSlot;
      this.#onSlot = null;
      slot?.();
      if (this.#inFlight === 0) {
        const idle = this.#onIdle;
        this.#onIdle = null;
        idle?.();
      }
    });
  }
}
