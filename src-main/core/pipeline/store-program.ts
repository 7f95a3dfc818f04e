import { PassThrough } from 'node:stream';
import { probeStdbuf, runTool, runToolOn, ToolExitError, type ToolExit } from '../util/child.ts';
import { discardFifoNames, makeFifoNames, openFifoRelay, warmFifoRelay, type FifoNames } from './fifo-relay.ts';
import type { ByteDigest } from './hash-tap.ts';
import { findZstd, zstdArgs } from './zstd-tool.ts';
import { sealPipeline, storePipeline, type StoreOptions, type StoredOutput } from './store-pipeline.ts';

/** A client program whose standard output is an artifact (pg_dump). Secrets travel in `env`, never in `args`. */
export interface ProgramSpec {
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  toolName: string;
  /**
   * The program writes much (a dump, not a few kilobytes of roles): it gets a large stdio buffer (see runTool)
   * and the relay thread; a small output streams through this process, without a thread of its own, and is
   * compressed here, without a zstd process. A run's large output starts before its small ones (see
   * prepareProgramStore).
   */
  largeWrites?: boolean;
}

/**
 * Runs `program` and stores its standard output: raw → SHA-256 → zstd → age → SHA-256 → out, as
 * storePipeline. For a large output, where the `zstd` program and named pipes exist, the raw bytes go from the
 * program through a hashing relay thread straight into zstd (see fifo-relay.ts) and only the compressed bytes
 * enter this process. Either way the output never ends cleanly unless the program, the relay and the compressor all
 * finished well; a failure of the program rejects `done` with its ToolExitError. Destroying the output, or any
 * failure, kills the program.
 */
export function storeProgramOutput(program: ProgramSpec, opts: StoreOptions, workDir: string): Promise<StoredOutput> {
  return storeWith(program, opts, workDir, null);
}

async function storeWith(program: ProgramSpec, opts: StoreOptions, workDir: string, fifos: Promise<FifoNames | null> | null, started?: () => void): Promise<StoredOutput> {
  const toolOpts = { toolName: program.toolName, largeWrites: program.largeWrites ?? false, ...(program.env ? { env: program.env } : {}) };
  const zstd = opts.compression === 'zstd' ? await findZstd() : null;
  const relayed = zstd !== null && program.largeWrites === true;
  if (!relayed && fifos) void fifos.then(discardFifoNames);
  // A relay that cannot be set up (no thread, no descriptors left) costs speed, never the backup.
  const relay = relayed ? await openFifoRelay(fifos ?? makeFifoNames(workDir)).catch(() => null) : null;
  if (!zstd || !relay) {
    const run = runTool(program.file, program.args, toolOpts);
    started?.();
    const stored = await storePipeline(run.stdout, opts, { small: !program.largeWrites });
    stored.done.catch(() => run.child.kill('SIGKILL'));
    return stored;
  }

  let producer: ReturnType<typeof runToolOn>;
  let compressor: ReturnType<typeof runToolOn>;
  try {
    producer = runToolOn(program.file, program.args, ['ignore', relay.producerFd], toolOpts);
    compressor = runToolOn(zstd.file, zstdArgs(opts.compressionLevel), [relay.consumerFd, 'pipe'], { toolName: 'zstd' });
  } finally {
    relay.handedOver();
    started?.();
  }

  // The compressed bytes end only once every process has been judged: zstd ends its output as soon as its
  // input ends, which is also what a dying pg_dump looks like.
  const compressed = new PassThrough({ highWaterMark: 1024 * 1024 });
  // Its error reaches `done` through `raw`; the cipher reading it may not have started yet.
  compressed.on('error', () => undefined);
  compressor.child.stdout!.pipe(compressed, { end: false });
  const raw = judge(program.toolName, producer.exit, relay.done, compressor.exit);
  raw.then(() => compressed.end(), (err: Error) => compressed.destroy(err));

  const stored = await sealPipeline(compressed, raw, opts);
  stored.done.catch(() => { producer.child.kill('SIGKILL'); compressor.child.kill('SIGKILL'); });
  return stored;
}

/** Stores programs' outputs for one run, with what that needs readied ahead (see prepareProgramStore). */
export interface ProgramStore {
  /** As storeProgramOutput, in the run's work folder. */
  store(program: ProgramSpec, opts: StoreOptions): Promise<StoredOutput>;
  /** Removes what was readied and not used. The work folder itself stays the run's to remove. */
  close(): void;
}

/**
 * Readies storing programs' outputs in `workDir`: the zstd lookup, a relay thread, the stdbuf check and one pair
 * of named pipes, so that a run pays for them while its engine connects and looks for its tools, not between
 * that and the start of its dump. `warm: false` (an engine that hands over files) readies nothing.
 */
export function prepareProgramStore(workDir: string, { warm = true }: { warm?: boolean } = {}): ProgramStore {
  let fifos: Promise<FifoNames | null> | null = null;
  // A large output being set up (relay, named pipes) starts before any small one: each process start holds
  // this thread for tens of milliseconds, and the dump is what the run waits for; roles can wait for it.
  let largeStarting: Promise<void> = Promise.resolve();
  if (warm) {
    findZstd().catch(() => undefined);
    warmFifoRelay();
    probeStdbuf().catch(() => undefined);
    fifos = makeFifoNames(workDir).catch(() => null);
  }
  return {
    store: async (program, opts) => {
      if (!program.largeWrites) {
        await largeStarting;
        return storeWith(program, opts, workDir, null);
      }
      // The readied pair goes to the first large output; any later one makes its own.
      const mine = fifos;
      fifos = null;
      let started!: () => void;
      largeStarting = new Promise((resolve) => { started = resolve; });
      try {
        return await storeWith(program, opts, workDir, mine, started);
      } finally {
        started();
      }
    },
    close: () => {
      if (fifos) void fifos.then(discardFifoNames);
      fifos = null;
    },
  };
}

/** The raw side's digest once all three have finished well; otherwise the failure that caused the others. */
async function judge(tool: string, producer: Promise<ToolExit>, relay: Promise<ByteDigest>, compressor: Promise<ToolExit>): Promise<ByteDigest> {
  const [p, r, c] = await Promise.allSettled([producer, relay, compressor]);
  const downstream = c.status === 'rejected' ? c.reason as Error
    : c.value.code !== 0 ? new ToolExitError('zstd', c.value.code, c.value.stderr)
      : r.status === 'rejected' ? r.reason as Error : null;
  // A failure downstream is the cause whenever there is one: the program then only died of the broken pipe
  // (a signal, or an exit code, depending on the program). A program failing alone leaves the relay at EOF
  // and zstd exiting 0 on a short input, so then the program's own error is the one to report.
  if (downstream) throw downstream;
  if (p.status === 'rejected') throw p.reason;
  if (p.value.code !== 0) throw new ToolExitError(tool, p.value.code, p.value.stderr);
  return (r as PromiseFulfilledResult<ByteDigest>).value;
}
