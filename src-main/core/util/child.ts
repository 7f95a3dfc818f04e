import fs from 'node:fs';
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { Duplex, PassThrough, type Readable } from 'node:stream';

export interface ToolRun {
  child: ChildProcess;
  /** stdout, which errors instead of ending when the tool exits non-zero (a truncated dump never looks whole). */
  stdout: Readable;
  /** Resolves with the exit code once the process has closed; stderr (bounded) is collected for messages. */
  exit: Promise<ToolExit>;
}

const STDERR_LIMIT = 64 * 1024;

let stdbufFound: string | null | undefined;
const stdbufFile = () => (process.platform === 'linux' ? ['/usr/bin/stdbuf', '/bin/stdbuf'].find((f) => fs.existsSync(f)) : undefined);
const STDBUF_CHECK = ['-o1M', 'true'];

/** coreutils' stdbuf, once it has shown it works here (it preloads a library a partial install may lack). */
function stdbufPath(): string | null {
  if (stdbufFound === undefined) {
    const file = stdbufFile();
    stdbufFound = file && spawnSync(file, STDBUF_CHECK, { stdio: 'ignore', timeout: 10_000 }).status === 0 ? file : null;
  }
  return stdbufFound;
}

/** The same check without blocking, for a caller that can make it ahead of need. */
export async function probeStdbuf(): Promise<void> {
  if (stdbufFound !== undefined) return;
  const file = stdbufFile();
  const works = file ? await new Promise<boolean>((resolve) => {
    const c = spawn(file, STDBUF_CHECK, { stdio: 'ignore', timeout: 10_000 });
    c.on('error', () => resolve(false));
    c.on('close', (code) => resolve(code === 0));
  }) : false;
  stdbufFound ??= works ? file! : null;
}

export class ToolExitError extends Error {
  override readonly name = 'ToolExitError';
  readonly tool: string;
  readonly code: number | null;
  readonly stderr: string;

  constructor(tool: string, code: number | null, stderr: string) {
    super(`${tool} exited with ${code === null ? 'a signal' : `code ${code}`}: ${lastLines(stderr)}`);
    this.tool = tool;
    this.code = code;
    this.stderr = stderr;
  }
}

export type ToolOptions = SpawnOptions & { toolName?: string; largeWrites?: boolean };
export type ToolExit = { code: number | null; signal: NodeJS.Signals | null; stderr: string };

/**
 * Spawns a client tool. Arguments never carry secrets: those travel in env or files (see pgpass.ts).
 * `stdio` is its stdin and stdout: a descriptor to hand over (a pipe another process uses, so those bytes never
 * pass through this process), 'ignore', or 'pipe' (then use `child.stdin` / `child.stdout`). stderr is collected,
 * bounded, for messages. `exit` rejects when the tool cannot start.
 * `largeWrites`: the tool streams much data through C stdio, whose 4 KiB pipe buffer turns 400 MB into 100 000
 * writes, and as many wake-ups and reads; coreutils' stdbuf (Linux) gives it a 1 MiB buffer instead.
 */
export function runToolOn(file: string, args: string[], stdio: ['ignore' | 'pipe' | number, 'pipe' | number], opts: ToolOptions = {}): { child: ChildProcess; exit: Promise<ToolExit>; stderr: () => string } {
  const stdbuf = opts.largeWrites ? stdbufPath() : null;
  if (stdbuf) [file, args] = [stdbuf, ['-o1M', file, ...args]];
  const child = spawn(file, args, { ...opts, stdio: [...stdio, 'pipe'], windowsHide: true });
  const stderr = collectStderr(child);
  const exit = new Promise<ToolExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr: stderr() }));
  });
  exit.catch(() => undefined);
  return { child, exit, stderr };
}

/** A tool whose stdout is read here, through a stream that errors instead of ending when the tool fails. */
export function runTool(file: string, args: string[], opts: ToolOptions & { stdin?: Readable } = {}): ToolRun {
  const { child, exit, stderr } = runToolOn(file, args, [opts.stdin ? 'pipe' : 'ignore', 'pipe'], opts);
  const out = new PassThrough({ highWaterMark: 1024 * 1024 });
  child.stdout!.pipe(out, { end: false });
  if (opts.stdin) {
    opts.stdin.on('error', (e) => { child.stdin!.destroy(e); child.kill(); });
    child.stdin!.on('error', () => undefined);
    opts.stdin.pipe(child.stdin!);
  }
  const tool = opts.toolName ?? file;
  child.on('error', (err) => out.destroy(err));
  child.on('close', (code) => {
    // A tool may stop reading its input early (pg_restore --list reads only the TOC): release the source.
    if (opts.stdin && !opts.stdin.readableEnded) opts.stdin.destroy();
    if (code === 0) out.end();
    else out.destroy(new ToolExitError(tool, code, stderr()));
  });
  return { child, stdout: out, exit };
}

/**
 * Runs a tool to completion and returns stdout as text. A failing input (a copy that does not decrypt or
 * decompress) rejects with its own error, whatever the tool then did; otherwise a non-zero exit throws
 * ToolExitError.
 */
export async function toolOutput(file: string, args: string[], opts: ToolOptions & { stdin?: Readable } = {}): Promise<string> {
  let inputError: Error | null = null;
  opts.stdin?.on('error', (e: Error) => { inputError ??= e; });
  const run = runTool(file, args, opts);
  const chunks: Buffer[] = [];
  run.stdout.on('data', (c: Buffer) => chunks.push(c));
  // The output's failure is the exit judged below; unheard, it would be an uncaught exception.
  run.stdout.on('error', () => undefined);
  const res = await run.exit;
  // A tool that met the end of a failed input early may well exit 0: what it printed is of a truncated input.
  if (inputError) throw inputError;
  if (res.code !== 0) throw new ToolExitError(opts.toolName ?? file, res.code, res.stderr);
  return Buffer.concat(chunks).toString('utf8');
}

/** A child's stderr, bounded, for error messages: the function returns what has arrived so far. */
function collectStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => { if (text.length < STDERR_LIMIT) text += d; });
  return () => text;
}

export function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

/**
 * A tool as a stream stage: what is written goes to its stdin, its stdout is the readable side. The stage
 * errors (never ends) when the tool exits non-zero or stops reading its input early, and destroying the stage
 * kills the tool, so a tool in a pipeline fails and cleans up like any in-process transform.
 */
export class ToolStage extends Duplex {
  readonly #child: ChildProcess;
  readonly #tool: string;
  readonly #stderr: () => string;
  #inputError: Error | null = null;
  #inputEnded = false;
  #exited = false;

  constructor(file: string, args: string[], toolName: string) {
    super({ readableHighWaterMark: 1024 * 1024, writableHighWaterMark: 1024 * 1024 });
    this.#tool = toolName;
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.#child = child;
    this.#stderr = collectStderr(child);
    child.stdout!.on('data', (c: Buffer) => { if (!this.push(c)) child.stdout!.pause(); });
    // EPIPE when the tool dies: the exit below is the error worth reporting, so only remember it here.
    child.stdin!.on('error', (err) => { this.#inputError = err; });
    child.on('error', (err) => { this.#exited = true; this.destroy(err); });
    child.on('close', (code) => {
      this.#exited = true;
      if (code !== 0) this.destroy(new ToolExitError(this.#tool, code, this.#stderr()));
      // Exiting 0 before the end of its input means output for part of the bytes: never a whole result.
      else if (this.#inputError || !this.#inputEnded) this.destroy(new ToolExitError(this.#tool, code, `stopped before the end of its input${this.#inputError ? `: ${this.#inputError.message}` : ''}`));
      else this.push(null);
    });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.#exited) return cb(new ToolExitError(this.#tool, null, 'exited before the end of its input'));
    if (this.#child.stdin!.write(chunk)) cb();
    else this.#child.stdin!.once('drain', () => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.#inputEnded = true;
    this.#child.stdin!.end(() => cb());
  }

  override _read(): void {
    this.#child.stdout!.resume();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.#exited) this.#child.kill('SIGKILL');
    cb(err);
  }
}
