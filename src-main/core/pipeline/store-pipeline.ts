import zlib from 'node:zlib';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HashTap, type ByteDigest } from './hash-tap.ts';
import { Rechunk } from './rechunk.ts';
import { findZstd, zstdArgs } from './zstd-tool.ts';
import { ToolStage } from '../util/child.ts';
import { ageDecrypt, prepareSeal, sealStream, type DecryptionKeys, type EncryptionSpec, type SealSource } from './age-crypt.ts';

export interface StoreOptions {
  compression: 'zstd' | 'none';
  compressionLevel: number;
  encryption: EncryptionSpec;
  /** Where a run's seals come from (one readied ahead); without it each file's seal is made when it starts. */
  seals?: SealSource | null;
}

export interface StoredDigest {
  rawBytes: number;
  rawSha256: string;
  bytes: number;
  sha256: string;
}

/**
 * raw → SHA-256 → zstd → age → SHA-256 → out. Every stage is a stream with small buffers, so memory stays
 * bounded whatever the size of the dump. `done` settles when the last byte has left the pipeline.
 * `small`: the output is known to be a few kilobytes (roles), compressed here rather than by the zstd program,
 * whose start would cost more than the compression.
 */
export async function storePipeline(raw: Readable, opts: StoreOptions, { small = false }: { small?: boolean } = {}): Promise<StoredOutput> {
  const rawTap = new HashTap();
  const stages: NodeJS.ReadWriteStream[] = [new Rechunk(), rawTap];
  if (opts.compression === 'zstd') stages.push(small ? zlibZstd(opts.compressionLevel) : await zstdCompressor(opts.compressionLevel));
  const compressedOut = new PassThrough();
  const first = pipeline(raw, ...(stages as [NodeJS.ReadWriteStream]), compressedOut).then(() => ({ bytes: rawTap.bytes, sha256: rawTap.sha256 }));
  return sealPipeline(compressedOut, first, opts);
}

export interface StoredOutput {
  stream: Readable;
  done: Promise<StoredDigest>;
  /** The encrypted file's key, for the run's own check of what it stored (see DecryptionKeys.fileKey). */
  fileKey: Uint8Array | null;
}

/**
 * The second half, for bytes already compressed (here or by a program): → age → SHA-256 → out. `raw` settles
 * with the raw side's digest, or rejects when that side failed, which fails `done` and destroys `out`.
 */
export async function sealPipeline(compressed: Readable, raw: Promise<ByteDigest>, opts: StoreOptions): Promise<StoredOutput> {
  // The raw side may fail while the cipher is still being keyed (scrypt): `done` reports it below.
  raw.catch(() => undefined);
  const storedTap = new HashTap();
  let encrypted: Readable = compressed;
  let fileKey: Uint8Array | null = null;
  if (opts.encryption.mode !== 'none') {
    const seal = await (opts.seals ? opts.seals.next() : prepareSeal(opts.encryption));
    encrypted = sealStream(compressed, seal);
    fileKey = seal.fileKey;
  }
  const out = new PassThrough();
  const second = pipeline(encrypted, storedTap, out);
  const done = Promise.all([raw, second]).then(([r]) => ({ rawBytes: r.bytes, rawSha256: r.sha256, bytes: storedTap.bytes, sha256: storedTap.sha256 }));
  // The consumer (a target's put) reports its own failure; a pipeline failure is surfaced through `done`
  // and by destroying `out`, so the consumer never mistakes a truncated stream for a complete one.
  done.catch((err) => out.destroy(err as Error));
  return { stream: out, done, fileKey };
}

/** The `zstd` program when there is one (multi-threaded), else node:zlib; both write the standard format. */
async function zstdCompressor(level: number): Promise<NodeJS.ReadWriteStream> {
  const tool = await findZstd();
  return tool ? new ToolStage(tool.file, zstdArgs(level), 'zstd') : zlibZstd(level);
}

function zlibZstd(level: number): NodeJS.ReadWriteStream {
  // 1 MiB output chunks: the default 16 KiB makes zstd three times slower through per-chunk overhead.
  return zlib.createZstdCompress({ chunkSize: 1024 * 1024, params: { [zlib.constants.ZSTD_c_compressionLevel]: level } });
}

/** The inverse: stored bytes → age → zstd → raw, with the raw bytes hashed for an end-to-end check. */
export async function loadPipeline(stored: Readable, meta: { compression: string; encryption: string; rawSha256?: string }, keys: DecryptionKeys, where: string): Promise<{ stream: Readable; tap: HashTap }> {
  let s: Readable = stored;
  if (meta.encryption === 'age') s = await ageDecrypt(s, keys, where);
  const tap = new HashTap(meta.rawSha256 ? { sha256: meta.rawSha256, where } : undefined);
  if (meta.compression === 'zstd') {
    const z = zlib.createZstdDecompress({ chunkSize: 1024 * 1024 });
    s.on('error', (e) => z.destroy(e));
    s = s.pipe(z);
  }
  s.on('error', (e) => tap.destroy(e));
  return { stream: s.pipe(tap), tap };
}
