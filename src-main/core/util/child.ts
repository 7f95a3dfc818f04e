import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';

export interface ToolRun {
  child: ChildProcess;
  /** stdout, which errors instead of ending when the tool exits non-zero (a truncated dump never looks whole). */
  stdout: Readable;
  /** Resolves with the exit code once the process has closed; stderr (bounded) is collected for messages. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

const STDERR_LIMIT = 64 * 1024;

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

/** Spawns a client tool. Arguments never carry secrets: those travel in env or files (see pgpass.ts). */
export function runTool(file: string, args: string[], opts: SpawnOptions & { toolName?: string; stdin?: Readable } = {}): ToolRun {
  const child = spawn(file, args, { ...opts, stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], windowsHide: true });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => { if (stderr.length < STDERR_LIMIT) stderr += d; });
  const out = new PassThrough({ highWaterMark: 1024 * 1024 });
  child.stdout!.pipe(out, { end: false });
  if (opts.stdin) {
    opts.stdin.on('error', (e) => { child.stdin!.destroy(e); child.kill(); });
    child.stdin!.on('error', () => undefined);
    opts.stdin.pipe(child.stdin!);
  }
  const tool = opts.toolName ?? file;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    child.on('error', (err) => { out.destroy(err); reject(err); });
    child.on('close', (code, signal) => {
      // A tool may stop reading its input early (pg_restore --list reads only the TOC): release the source.
      if (opts.stdin && !opts.stdin.readableEnded) opts.stdin.destroy();
      if (code === 0) out.end();
      else out.destroy(new ToolExitError(tool, code, stderr));
      resolve({ code, signal, stderr });
    });
  });
  exit.catch(() => undefined);
  return { child, stdout: out, exit };
}

/** Runs a tool to completion and returns stdout as text; a non-zero exit throws ToolExitError. */
export async function toolOutput(file: string, args: string[], opts: SpawnOptions & { toolName?: string; stdin?: Readable } = {}): Promise<string> {
  const run = runTool(file, args, opts);
  const chunks: Buffer[] = [];
  run.stdout.on('data', (c: Buffer) => chunks.push(c));
  const res = await run.exit;
  if (res.code !== 0) throw new ToolExitError(opts.toolName ?? file, res.code, res.stderr);
  return Buffer.concat(chunks).toString('utf8');
}

export function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
