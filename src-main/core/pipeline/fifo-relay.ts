import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ByteDigest } from './hash-tap.ts';
import { runByteJob, warmByteThread } from './byte-thread.ts';

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

let mkfifoWorks: boolean | undefined;
const run = promisify(execFile);
const relaysPossible = () => process.platform !== 'win32' && mkfifoWorks !== false;

/** Starts a relay thread ahead of need, where relays can run at all. */
export function warmFifoRelay(): void {
  if (relaysPossible()) warmByteThread();
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
      relay = runByteJob({ input, output }, 'the relay between the program and the compressor failed');
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
