import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const EXE = process.platform === 'win32' ? '.exe' : '';

export interface ZstdTool {
  file: string;
  version: string;
}

const run = promisify(execFile);
let cached: { key: string; tool: Promise<ZstdTool | null> } | undefined;

/**
 * The `zstd` program, when the machine has one (Linux packages; the Windows build ships it under resources/):
 * its multi-threaded compressor is twice as fast as node:zlib's single-threaded one, and the bytes it writes
 * are the same standard frame format, so nothing downstream (age, `zstd -d`, the restore path) can tell.
 * LIFEBOAT_ZSTD names a program to use, or "none" to keep compression in-process.
 */
export function findZstd(env: NodeJS.ProcessEnv = process.env): Promise<ZstdTool | null> {
  const key = `${env.LIFEBOAT_ZSTD ?? ''}|${env.PATH ?? ''}`;
  if (cached?.key === key) return cached.tool;
  const tool = locate(env);
  cached = { key, tool };
  return tool;
}

async function locate(env: NodeJS.ProcessEnv): Promise<ZstdTool | null> {
  const chosen = env.LIFEBOAT_ZSTD;
  if (chosen === 'none') return null;
  // Set by Electron in the packaged app; plain Node has none.
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = chosen ? [chosen] : [
    ...(resources ? [path.join(resources, 'bin', `zstd${EXE}`)] : []),
    ...(env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, `zstd${EXE}`)),
  ];
  for (const file of candidates) {
    // Only what exists is run; what is not a working zstd fails the version check below.
    if (!fs.existsSync(file)) continue;
    const version = await versionOf(file);
    // -T (threads) and the frame format used here are stable since 1.3; older builds stay unused.
    if (version && atLeast(version, [1, 3, 0])) return { file, version };
  }
  return null;
}

async function versionOf(file: string): Promise<string | null> {
  try {
    const { stdout: out } = await run(file, ['-V'], { encoding: 'utf8', timeout: 10_000, windowsHide: true });
    return /v(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? null;
  } catch {
    return null;
  }
}

function atLeast(version: string, min: [number, number, number]): boolean {
  const v = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i]!;
  return true;
}

/** Compression threads: two, as the usual `zstd -T2`, but never more than the machine has. */
function defaultZstdThreads(): number {
  return Math.max(1, Math.min(2, os.availableParallelism()));
}

/** The program's arguments to compress stdin to stdout at `level`. */
export function zstdArgs(level: number): string[] {
  return [`-${level}`, ...(level > 19 ? ['--ultra'] : []), `-T${defaultZstdThreads()}`, '-q', '-c'];
}
