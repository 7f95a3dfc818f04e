/**
 * SHA-256 tools a server may have, fastest first: OpenSSL uses the CPU's SHA extensions (about 2.5× to
 * 4× coreutils' sha256sum on the same machine), shasum is the Perl fallback of BSDs and macOS. Each reads
 * the object on standard input, so its output never carries a file name (which sha256sum would escape
 * when it holds a backslash or a newline) and one parser fits all of them.
 */
export interface RemoteHasher {
  name: string;
  /** A POSIX shell command line that hashes its standard input. */
  command: string;
}

export const REMOTE_HASHERS: readonly RemoteHasher[] = [
  { name: 'openssl', command: 'openssl dgst -sha256 -r' },
  { name: 'sha256sum', command: 'sha256sum -b' },
  { name: 'shasum', command: 'shasum -a 256 -b' },
];

/**
 * The digest in a tool's answer for standard input: "<hex> *stdin" (openssl -r), "<hex>  -" or "<hex> *-"
 * (sha256sum, shasum), "SHA2-256(stdin)= <hex>" / "(stdin)= <hex>" (openssl without -r, old versions).
 * Exactly one 64-digit hex run may appear; anything else is no answer.
 */
export function parseDigest(output: string): string | null {
  const runs = output.toLowerCase().match(/(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/g);
  return runs && runs.length === 1 ? runs[0]! : null;
}
