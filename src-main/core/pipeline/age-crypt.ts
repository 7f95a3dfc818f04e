import type { Readable } from 'node:stream';
import type { Identity } from 'age-encryption';
import { LifeboatError, causeOf } from '../errors/lifeboat-error.ts';
import { NativeScryptIdentity } from './age-scrypt.ts';
import { nativeAgeDecrypt, nativeAgeEncrypt } from './age-stream.ts';

export type EncryptionSpec =
  | { mode: 'none' }
  | { mode: 'passphrase'; passphrase: string; scryptLogN?: number }
  | { mode: 'recipients'; recipients: string[] };

export interface DecryptionKeys {
  passphrase?: string;
  /** AGE-SECRET-KEY-1… identities. */
  identities?: string[];
}

/** Streams `input` through the age format (https://age-encryption.org/v1); `age -d` decrypts the result. */
export async function ageEncrypt(input: Readable, spec: Exclude<EncryptionSpec, { mode: 'none' }>): Promise<Readable> {
  return spec.mode === 'passphrase'
    ? nativeAgeEncrypt(input, { passphrase: spec.passphrase, ...(spec.scryptLogN ? { scryptLogN: spec.scryptLogN } : {}) })
    : nativeAgeEncrypt(input, { recipients: spec.recipients });
}

export async function ageDecrypt(input: Readable, keys: DecryptionKeys, where: string): Promise<Readable> {
  if (!keys.passphrase && !keys.identities?.length) {
    throw new LifeboatError('DECRYPT_FAILED', { verb: 'decrypt', thing: 'artifact', where, cause: 'the set is encrypted and no passphrase or identity was given', hint: 'pass --passphrase-env or --identity' });
  }
  const identities: Array<string | Identity> = [...(keys.identities ?? []).map((i) => i.trim())];
  if (keys.passphrase) identities.push(new NativeScryptIdentity(keys.passphrase));
  try {
    return await nativeAgeDecrypt(input, identities);
  } catch (err) {
    throw new LifeboatError('DECRYPT_FAILED', { verb: 'decrypt', thing: 'artifact', where, cause: causeOf(err), hint: 'check the passphrase or identity file' });
  }
}
