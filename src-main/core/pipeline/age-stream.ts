import { createCipheriv, createDecipheriv, createHmac, createPublicKey, createSecretKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Identity } from 'age-encryption';
import { bech32 } from '@scure/base';
import { NativeScryptRecipient } from './age-scrypt.ts';
import { ByteQueue } from './byte-queue.ts';

// The age v1 format (https://age-encryption.org/v1) with node:crypto's native ChaCha20-Poly1305 for the
// payload: the pure-JS cipher of the age library ran at about 100 MB/s, which made encryption the slowest
// stage of a backup and of a restore (the RTO). Header parsing and identity unwrapping on the way back
// stay with the library; every file is interoperable with the `age` command (tests check both ways).
const CHUNK = 64 * 1024;
const TAG = 16;
const INTRO = 'age-encryption.org/v1\n';
const MAX_HEADER = 64 * 1024;

interface StanzaLike { args: string[]; body: Uint8Array }

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64').replace(/=+$/, '');
const hkdf = (ikm: Uint8Array, salt: Uint8Array, info: string) => Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));

function chachaSeal(key: Uint8Array | KeyObject, nonce: Uint8Array, plain: Uint8Array): Buffer {
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
  const body = c.update(plain);
  c.final();
  return Buffer.concat([body, c.getAuthTag()], body.length + TAG);
}

function chachaOpen(key: Uint8Array | KeyObject, nonce: Uint8Array, sealed: Uint8Array): Buffer {
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  const body = d.update(sealed.subarray(0, sealed.length - TAG));
  d.final();
  return body;
}

function x25519Stanza(recipient: string, fileKey: Uint8Array): StanzaLike {
  const { prefix, words } = bech32.decode(recipient as `${string}1${string}`, 100);
  const pub = Buffer.from(bech32.fromWords(words));
  if (prefix !== 'age' || pub.length !== 32) throw new Error(`not an age X25519 recipient: ${recipient}`);
  const eph = generateKeyPairSync('x25519');
  const ephPub = Buffer.from(eph.publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: pub.toString('base64url') }, format: 'jwk' }) });
  if (shared.every((b) => b === 0)) throw new Error('X25519 shared secret is all zeros');
  const wrapKey = hkdf(shared, Buffer.concat([ephPub, pub]), 'age-encryption.org/v1/X25519');
  return { args: ['X25519', b64(ephPub)], body: chachaSeal(wrapKey, Buffer.alloc(12), fileKey) };
}

function encodeHeader(stanzas: StanzaLike[], fileKey: Uint8Array): Buffer {
  let text = INTRO;
  for (const s of stanzas) {
    text += `-> ${s.args.join(' ')}\n`;
    const body = b64(s.body);
    for (let i = 0; i < body.length; i += 64) text += body.slice(i, i + 64) + '\n';
    if (body.length % 64 === 0) text += '\n';
  }
  text += '---';
  const mac = createHmac('sha256', hkdf(fileKey, Buffer.alloc(0), 'header')).update(text).digest();
  return Buffer.from(`${text} ${b64(mac)}\n`);
}

function chunkNonce(counter: bigint, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  let c = counter;
  for (let i = 10; i >= 0; i--) { n[i] = Number(c & 0xffn); c >>= 8n; }
  n[11] = last ? 1 : 0;
  return n;
}

/** What a file's encryption needs before its first byte: a fresh file key and the header that wraps it. */
export interface AgeSeal {
  readonly fileKey: Buffer;
  readonly header: Buffer;
}

/**
 * A file key wrapped for a passphrase (scrypt: a second or more, by design) or for recipients. Apart from the
 * data, so a run can ready it before the data flows.
 */
export async function prepareAgeSeal(spec: { passphrase?: string; scryptLogN?: number; recipients?: string[] }): Promise<AgeSeal> {
  const fileKey = randomBytes(16);
  const stanzas: StanzaLike[] = spec.passphrase !== undefined
    ? await new NativeScryptRecipient(spec.passphrase, spec.scryptLogN ?? 18).wrapFileKey(fileKey)
    : (spec.recipients ?? []).map((r) => x25519Stanza(r, fileKey));
  return { fileKey, header: encodeHeader(stanzas, fileKey) };
}

/** `input` as an age file under `seal`; a seal serves one file only (its file key must never encrypt another). */
export function ageSealStream(input: Readable, { fileKey, header }: AgeSeal): Readable {
  async function* gen(): AsyncGenerator<Buffer> {
    const nonce = randomBytes(16);
    // One key object for every chunk: a raw key is imported again by each cipher.
    const key = createSecretKey(hkdf(fileKey, nonce, 'payload'));
    yield Buffer.concat([header, nonce]);
    let counter = 0n;
    const pending = new ByteQueue();
    for await (const chunk of input) {
      pending.push(chunk as Buffer);
      // A full chunk is sealed only once more data follows it: the last chunk carries the final flag.
      while (pending.length > CHUNK) yield chachaSeal(key, chunkNonce(counter++, false), pending.take(CHUNK));
    }
    yield chachaSeal(key, chunkNonce(counter, true), pending.take(pending.length));
  }
  return Readable.from(gen(), { objectMode: false });
}

export async function nativeAgeDecrypt(input: Readable, identities: Array<string | Identity>): Promise<Readable> {
  const { Decrypter } = await import('age-encryption');
  const dec = new Decrypter();
  for (const id of identities) dec.addIdentity(id as string);
  const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const buf = new ByteQueue();
  let ended = false;
  const more = async (): Promise<boolean> => {
    const r = await it.next();
    if (r.done) { ended = true; return false; }
    buf.push(r.value);
    return true;
  };
  let headerEnd = -1;
  while (headerEnd < 0) {
    const head = buf.peek(Math.min(buf.length, MAX_HEADER + 1));
    const mac = head.indexOf('\n--- ');
    const nl = mac >= 0 ? head.indexOf('\n', mac + 5) : -1;
    if (nl >= 0) { headerEnd = nl + 1; break; }
    if (buf.length > MAX_HEADER || !(await more())) throw new Error('not an age file: no header found');
  }
  const header = buf.take(headerEnd);
  if (!header.subarray(0, INTRO.length).equals(Buffer.from(INTRO))) throw new Error('not an age v1 file');
  // The library checks the stanzas, unwraps the file key with the identities and verifies the header MAC.
  const fileKey = await dec.decryptHeader(header);
  while (buf.length < 16) if (!(await more())) throw new Error('truncated age file: no payload nonce');
  const key = createSecretKey(hkdf(fileKey, buf.take(16), 'payload'));
  async function* gen(): AsyncGenerator<Buffer> {
    let counter = 0n;
    const SEALED = CHUNK + TAG;
    for (;;) {
      while (!ended && buf.length <= SEALED) await more();
      if (ended && buf.length <= SEALED) {
        if (buf.length < TAG || (buf.length === TAG && counter > 0n)) throw new Error('truncated or malformed age payload');
        yield chachaOpen(key, chunkNonce(counter, true), buf.take(buf.length));
        return;
      }
      while (buf.length > SEALED) yield chachaOpen(key, chunkNonce(counter++, false), buf.take(SEALED));
    }
  }
  return Readable.from(gen(), { objectMode: false });
}
