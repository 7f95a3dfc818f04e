import fs from 'node:fs';
import path from 'node:path';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { fromErrno } from '../errors/errno.ts';

export interface DeviceKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Base64 DER (SPKI) of the public key: printed on reports so a checkpoint can be checked on paper. */
  publicKeyB64: string;
  keyId: string;
}

export function deviceKeyFile(homeRoot: string): string {
  return path.join(homeRoot, 'audit-signing.key');
}

/**
 * The Ed25519 key that signs audit checkpoints. It lives in the home folder, outside the catalog, with
 * mode 0600: whoever copies or edits the catalog alone cannot forge a checkpoint over a rewritten chain.
 */
export function loadDeviceKey(homeRoot: string, opts: { create: boolean }): DeviceKey | null {
  const file = deviceKeyFile(homeRoot);
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fromErrno(err, 'read', 'audit signing key', file);
    if (!opts.create) return null;
    const { privateKey } = generateKeyPairSync('ed25519');
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      // wx: two processes starting at once must not each write a different key.
      fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fromErrno(e, 'write', 'audit signing key', file);
      pem = fs.readFileSync(file, 'utf8');
    }
  }
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, publicKeyB64: der.toString('base64'), keyId: createHash('sha256').update(der).digest('hex').slice(0, 16) };
}
