import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { ByteDigest } from './hash-tap.ts';


/**
 * Two named pipes and a thread between them: a producer (pg_dump) writes into one, a consumer (zstd) reads
 * the other, and the thread copies the bytes across while hashing them. A gigabyte of dump then costs this
 * process a SHA-256 and two system calls per 64 KiB, instead of a stream chunk, an allocation and its garbage
 * collection on the event loop; the hash is still taken of exactly the bytes the compressor got.
 */
export interface FifoRelay {
  /** Write end of the input pipe: the producer's standard output. */
  readonly producerFd: number;
  /** Read end of the output pipe: the consumer's standard input. */
  readonly consumerFd: number;
  /** Closes this process's copies of both ends once the children hold theirs (else EOF never comes). */
  handedOver(): void;
  /** Bytes relayed and their SHA-256, once the producer's end has closed and all reached the consumer. */
  readonly done: Promise<ByteDigest>;
}

// Plain CommonJS evaluated in the worker: the same text runs from the TypeScript sources and from the bundle,
// which has no separate worker file to point at. Blocking reads and writes are the point: the thread has
// nothing else to do while it relays, and each call moves what the pipe holds with one buffer, reused.
const RELAY_THREAD = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const buf = Buffer.allocUnsafe(1024 * 1024);
parentPort.on('message', ({ input, output }) => {
  let inFd = -1, outFd = -1;
  try {
    // Neither open waits: the caller holds the other end of each pipe until it hears 'opened'.
    inFd = fs.openSync(input, 'r');
    outFd = fs.openSync(output, 'w');
    parentPort.postMessage({ opened: true });
    const hash = createHash('sha256');
    let bytes = 0;
    for (;;) {
      const n = fs.readSync(inFd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      for (let o = 0; o < n; ) o += fs.writeSync(outFd, buf, o, n - o);
      bytes += n;
    }
    fs.closeSync(outFd);
    outFd = -1;
    parentPort.postMessage({ bytes, sha256: hash.digest('hex') });
  } catch (err) {
    parentPort.postMessage({ error: err.message, code: err.code });
  } finally {
    if (outFd >= 0) fs.closeSync(outFd);
    if (inFd >= 0) fs.closeSync(inFd);
  }
});
`;

type RelayMessage = { opened?: boolean; bytes?: number; sha256?: string; error?: string; code?: string };

// Threads that finished a relay wait here for the next one (unreferenced: they never keep the process alive).
// Starting one takes a tenth of a second; a backup run warms one while the engine connects.
const idle: Worker[] = [];

function newThread(): Worker {
  const w = new Worker(RELAY_THREAD, { eval: true });
  // A thread that dies while waiting must never be handed a relay it would not answer.
  w.once('exit', () => { const i = idle.indexOf(w); if (i >= 0) idle.splice(i, 1); });
  return w;
}

function takeThread(): Worker {
  const w = idle.pop() ?? newThread();
  w.ref();
  return w;
}

function returnThread(w: Worker): void {
  w.unref();
  idle.push(w);
}

let mkfifoWorks: boolean | undefined;
const run = promisify(execFile);
const relaysPossible = () => process.platform !== 'win32' && mkfifoWorks !== false;

/** Starts a relay thread ahead of need, where relays can run at all. */
export function warmFifoRelay(): void {
  if (relaysPossible() && idle.length === 0) returnThread(newThread());
}

/** Two named pipes in a folder of their own, made ahead of the relay that will use them. */
export interface FifoNames {
  readonly dir: string;
  readonly input: string;
  readonly output: string;
}

/**
 * Makes the pair of named pipes a relay needs in `dir` (a private work folder), or returns null where they
 * cannot be made (Windows, no mkfifo program, a filesystem without FIFOs). Making them is a process start,
 * so a run begins it early (see prepareProgramStore); a pair never used is removed with discardFifoNames.
 */
export async function makeFifoNames(dir: string): Promise<FifoNames | null> {
  if (!relaysPossible()) return null;
  const fifos = fs.mkdtempSync(path.join(dir, 'relay-'));
  const names = { dir: fifos, input: path.join(fifos, 'in'), output: path.join(fifos, 'out') };
  try {
    await run('mkfifo', ['-m', '600', names.input, names.output], { timeout: 10_000 });
    mkfifoWorks = true;
    return names;
  } catch (err) {
    // No mkfifo program at all is a property of the machine; a folder that refuses FIFOs is not.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') mkfifoWorks = false;
    discardFifoNames(names);
    return null;
  }
}

export function discardFifoNames(names: FifoNames | null): void {
  if (names) fs.rmSync(names.dir, { recursive: true, force: true });
}

/**
 * Opens a relay on a pair of named pipes (see makeFifoNames), or returns null when there is none (they cannot be
 * made here): the caller then streams through this process as before. The names are removed either way.
 */
export async function openFifoRelay(names: Promise<FifoNames | null>): Promise<FifoRelay | null> {
  const fifos = await names;
  if (!fifos) return null;
  const { input, output } = fifos;
  // The names are needed only until every end is open (or opening failed): none outlives this call.
  try {
    // This process's ends, opened without waiting for a partner (see openEnds); the thread opens the others.
    const ends = openEnds(input, output);
    const closeOurs = () => { for (const fd of [ends.producer, ends.consumer, ends.holdOpen]) closeQuietly(fd); };
    let relay: { done: Promise<ByteDigest>; opened: Promise<void> };
    try {
      relay = startRelay(takeThread(), input, output);
    } catch (err) {
      closeOurs();
      throw err;
    }
    const failed = await Promise.race([relay.opened.then(() => null), relay.done.then(() => null, (err: unknown) => err as Error)]);
    if (failed) {
      closeOurs();
      throw failed;
    }
    // The thread's write end now keeps the output pipe open; ours would keep the consumer from ever seeing EOF.
    fs.closeSync(ends.holdOpen);
    return {
      producerFd: ends.producer,
      consumerFd: ends.consumer,
      handedOver: () => { fs.closeSync(ends.producer); fs.closeSync(ends.consumer); },
      done: relay.done,
    };
  } finally {
    discardFifoNames(fifos);
  }
}

/** Hands `worker` one relay: `opened` once it holds its ends, `done` with its digest or its failure. */
function startRelay(worker: Worker, input: string, output: string): { done: Promise<ByteDigest>; opened: Promise<void> } {
  let opened!: () => void;
  const openedByThread = new Promise<void>((resolve) => { opened = resolve; });
  const done = new Promise<ByteDigest>((resolve, reject) => {
    const onMessage = (m: RelayMessage) => {
      if (m.opened) return opened();
      cleanup();
      returnThread(worker);
      if (m.error !== undefined) reject(Object.assign(new Error(`the relay between the program and the compressor failed: ${m.error}`), { code: m.code }));
      else resolve({ bytes: m.bytes!, sha256: m.sha256! });
    };
    const onError = (err: Error) => { cleanup(); reject(err); };
    const onExit = () => { cleanup(); reject(new Error('the relay thread ended before the end of its input')); };
    const cleanup = () => { worker.off('message', onMessage); worker.off('error', onError); worker.off('exit', onExit); };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
  done.catch(() => undefined);
  worker.postMessage({ input, output });
  return { done, opened: openedByThread };
}

/**
 * Opens, without blocking, the write end of `input` (for the producer) and a blocking read end of `output`
 * (for the consumer). A FIFO's open waits for the other side, so each is preceded by a partner opened here:
 * a non-blocking reader lets a writer open at once, a writer lets a blocking reader open at once. The write end
 * on `output` stays open until the relay thread holds its own. Every end is close-on-exec, so each child gets
 * only the end handed to it.
 */
function openEnds(input: string, output: string): { producer: number; consumer: number; holdOpen: number } {
  const opened: number[] = [];
  const open = (f: string, flags: number) => { const fd = fs.openSync(f, flags); opened.push(fd); return fd; };
  try {
    const probeIn = open(input, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const producer = open(input, fs.constants.O_WRONLY);
    const probeOut = open(output, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const holdOpen = open(output, fs.constants.O_WRONLY);
    const consumer = open(output, fs.constants.O_RDONLY);
    // A writer (the producer's end) keeps the thread's blocking open of `input` from waiting.
    fs.closeSync(probeIn);
    fs.closeSync(probeOut);
    return { producer, consumer, holdOpen };
  } catch (err) {
    for (const fd of opened) closeQuietly(fd);
    throw err;
  }
}

function closeQuietly(fd: number): void {
  try { fs.closeSync(fd); } catch { /* already closed */ }
}
