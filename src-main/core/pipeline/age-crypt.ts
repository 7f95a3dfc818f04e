import type { Readable } from 'node:stream';
import type { Identity } from 'age-encryption';
import { LifeboatError, causeOf } from '../errors/lifeboat-error.ts';
import { NativeScryptIdentity } from './age-scrypt.ts';
import { ageSealStream, nativeAgeDecrypt, prepareAgeSeal, type AgeSeal } from './age-stream.ts';

export type { AgeSeal } from './age-stream.ts';

export type EncryptionSpec =
  | { mode: 'none' }
  | { mode: 'passphrase'; passphrase: string; scryptLogN?: number }
  | { mode: 'recipients'; recipients: string[] };

export interface DecryptionKeys {
  passphrase?: string;
  /** AGE-SECRET-KEY-1… identities. */
  identities?: string[];
  /**
   * The file key itself, which only the run that sealed the file knows: it opens the file without a second
   * scrypt of the passphrase. The header's MAC is still checked with it, so a header that is not the one sealed
   * under this key fails as a wrong passphrase would.
   */
  fileKey?: Uint8Array;
}

type SealingSpec = Exclude<EncryptionSpec, { mode: 'none' }>;

/** A fresh file key wrapped for `spec`, ready to seal one file (see ageSealStream). */
export function prepareSeal(spec: SealingSpec): Promise<AgeSeal> {
  return spec.mode === 'passphrase'
    ? prepareAgeSeal({ passphrase: spec.passphrase, ...(spec.scryptLogN ? { scryptLogN: spec.scryptLogN } : {}) })
    : prepareAgeSeal({ recipients: spec.recipients });
}

/** `input` through the age format (https://age-encryption.org/v1) under a seal; `age -d` decrypts the result. */
export { ageSealStream as sealStream };

/** Streams `input` through the age format under a seal made for it. */
export async function ageEncrypt(input: Readable, spec: SealingSpec): Promise<Readable> {
  return ageSealStream(input, await prepareSeal(spec));
}

/**
 * Seals for the files of one run, the first readied as soon as the run begins: a passphrase's scrypt takes a
 * second or more, and the dump's first bytes cannot be stored before the seal exists.
 */
export class SealSource {
  readonly #spec: SealingSpec;
  #readied: Promise<AgeSeal> | null;

  constructor(spec: SealingSpec) {
    this.#spec = spec;
    this.#readied = prepareSeal(spec);
    // A seal that cannot be made (a malformed recipient) fails the file that asks for it, not the process.
    this.#readied.catch(() => undefined);
  }

  next(): Promise<AgeSeal> {
    const seal = this.#readied ?? prepareSeal(this.#spec);
    this.#readied = null;
    return seal;
  }
}

/** An identity that is the file key: the library then checks the header's MAC with it and opens the payload. */
class KnownFileKey implements Identity {
  readonly #key: Uint8Array;
  constructor(key: Uint8Array) { this.#key = key; }
  unwrapFileKey(): Promise<Uint8Array> { return Promise.resolve(this.#key); }
}

export async function ageDecrypt(input: Readable, keys: DecryptionKeys, where: string): Promise<Readable> {
  if (!keys.passphrase && !keys.identities?.length && !keys.fileKey) {
    throw new LifeboatError('DECRYPT_FAILED', { verb: 'decrypt', thing: 'artifact', where, cause: 'the set is encrypted and no passphrase or identity was given', hint: 'pass --passphrase-env or --identity' });
  }
  const identities: Array<string | Identity> = [...(keys.identities ?? []).map((i) => i.trim())];
  if (keys.fileKey) identities.push(new KnownFileKey(keys.fileKey));
  if (keys.passphrase) identities.push(new NativeScryptIdentity(keys.passphrase));
  try {
    return await nativeAgeDecrypt(input, identities);
  } catch (err) {
    throw new LifeboatError('DECRYPT_FAILED', { verb: 'decrypt', thing: 'artifact', where, cause: causeOf(err), hint: 'check the passphrase or identity file' });
  }
}
