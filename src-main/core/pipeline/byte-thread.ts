import { Worker } from 'node:worker_threads';
import type { ByteDigest } from './hash-tap.ts';

/**
 * Threads that move and hash bytes with blocking reads into one reused buffer, away from the event loop:
 * the relay between a program and zstd (fifo-relay.ts) and the hashing of a file (file-digest.ts). A thread
 * does one job at a time; between jobs it waits in a pool, unreferenced, so it never keeps the process alive.
 */

// Plain CommonJS evaluated in the worker: the same text runs from the TypeScript sources and from the bundle,
// which has no separate worker file to point at. Blocking reads and writes are the point: the thread has
// nothing else to do meanwhile, and each call moves what the pipe or the file gives with one buffer, reused.
const THREAD = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const buf = Buffer.allocUnsafe(1024 * 1024);
const failed = (err) => parentPort.postMessage({ error: err.message, code: err.code });

// Reads fd to its end into buf, handing each read's length to take; answers the bytes read and their SHA-256.
function digestOf(fd, take) {
  const hash = createHash('sha256');
  let bytes = 0;
  for (;;) {
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    if (n === 0) return { bytes, sha256: hash.digest('hex') };
    hash.update(buf.subarray(0, n));
    take(n);
    bytes += n;
  }
}

function relay(input, output) {
  let inFd = -1, outFd = -1;
  try {
    // Neither open waits: the caller holds the other end of each pipe until it hears 'opened'.
    inFd = fs.openSync(input, 'r');
    outFd = fs.openSync(output, 'w');
    parentPort.postMessage({ opened: true });
    const digest = digestOf(inFd, (n) => { for (let o = 0; o < n; ) o += fs.writeSync(outFd, buf, o, n - o); });
    fs.closeSync(outFd);
    outFd = -1;
    parentPort.postMessage(digest);
  } catch (err) {
    failed(err);
  } finally {
    if (outFd >= 0) fs.closeSync(outFd);
    if (inFd >= 0) fs.closeSync(inFd);
  }
}

function hashFile(file) {
  let fd = -1;
  try {
    fd = fs.openSync(file, 'r');
    parentPort.postMessage(digestOf(fd, () => undefined));
  } catch (err) {
    failed(err);
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

parentPort.on('message', (m) => (m.hashFile !== undefined ? hashFile(m.hashFile) : relay(m.input, m.output)));
`;

/** A job for a thread: relay `input` to `output` (named pipes), or hash the file `hashFile`. */
export type ByteJob = { input: string; output: string } | { hashFile: string };

/** What a thread answers: `opened` once a relay holds its ends, then its digest or its failure. */
export interface ByteThreadMessage { opened?: boolean; bytes?: number; sha256?: string; error?: string; code?: string }

// Starting a thread takes a tenth of a second; a backup run warms one while the engine connects.
const idle: Worker[] = [];

function newThread(): Worker {
  const w = new Worker(THREAD, { eval: true });
  // A thread that dies while waiting must never be handed a job it would not answer.
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

/** Starts a thread ahead of need, unless one is waiting already. */
export function warmByteThread(): void {
  if (idle.length === 0) returnThread(newThread());
}

/**
 * Hands `job` to a thread: `opened` settles when a relay holds its ends (never for a file), `done` with the
 * digest or the failure (the error carries the system's code, ENOENT and the like). The thread goes back to the
 * pool when it answers; one that died is not reused.
 */
export function runByteJob(job: ByteJob, failure: string): { done: Promise<ByteDigest>; opened: Promise<void> } {
  const worker = takeThread();
  let opened!: () => void;
  const openedByThread = new Promise<void>((resolve) => { opened = resolve; });
  const done = new Promise<ByteDigest>((resolve, reject) => {
    const onMessage = (m: ByteThreadMessage) => {
      if (m.opened) return opened();
      cleanup();
      returnThread(worker);
      if (m.error !== undefined) reject(Object.assign(new Error(`${failure}: ${m.error}`), { code: m.code }));
      else resolve({ bytes: m.bytes!, sha256: m.sha256! });
    };
    const onError = (err: Error) => { cleanup(); reject(err); };
    const onExit = () => { cleanup(); reject(new Error(`${failure}: the thread ended before its job did`)); };
    const cleanup = () => { worker.off('message', onMessage); worker.off('error', onError); worker.off('exit', onExit); };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
  done.catch(() => undefined);
  worker.postMessage(job);
  return { done, opened: openedByThread };
}
