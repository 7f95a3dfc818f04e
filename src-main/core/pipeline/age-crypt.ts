import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { LifeboatError, causeOf } from '../errors/lifeboat-error.ts';
import { NativeScryptIdentity, NativeScryptRecipient } from './age-scrypt.ts';

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
  // Loaded on first use: the age library and its post-quantum dependencies cost ~20 MB of memory.
  const { Encrypter } = await import('age-encryption');
  const enc = new Encrypter();
  if (spec.mode === 'passphrase') {
    enc.addRecipient(new NativeScryptRecipient(spec.passphrase, spec.scryptLogN ?? 18));
  } else {
    for (const r of spec.recipients) enc.addRecipient(r);
  }
  const out = await enc.encrypt(Readable.toWeb(input) as unknown as ReadableStream<Uint8Array>);
  return Readable.fromWeb(out as unknown as WebReadableStream<Uint8Array>, { highWaterMark: 4 });
}

export async function ageDecrypt(input: Readable, keys: DecryptionKeys, where: string): Promise<Readable> {
  const { Decrypter } = await import('age-encryption');
  const dec = new Decrypter();
  if (keys.passphrase) dec.addIdentity(new NativeScryptIdentity(keys.passphrase));
  for (const id of keys.identities ?? []) dec.addIdentity(id.trim());
  if (!keys.passphrase && !keys.identities?.length) {
    throw new LifeboatError('DECRYPT_FAILED', { verb: 'decrypt', thing: 'artifact', where, cause: 'the set is encrypted and no passphrase or identity was given', hint: 'pass --passphrase-env or --identity' });
  }
  try {
    const out = await dec.decrypt(Readable.toWeb(input) as unknown as ReadableStream<Uint8Array>);
    return Readable.fromWeb(out as unknown as WebReadableStream<Uint8Array>);
  } catch (err) {
    throw new LifeboatError('DECRYPT_FAILED', { verb: 'decrypt', thing: 'artifact', where, cause: causeOf(err), hint: 'check the passphrase or identity file' });
  }
}
