import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt with N = 2^15, r = 8, p = 1 (OWASP's floor for scrypt); the parameters are stored with each hash so
// they can be raised later without invalidating existing passwords.
const DEFAULT = { logN: 15, r: 8, p: 1 };
const KEY_LEN = 32;

function derive(password: string, salt: Buffer, p: { logN: number; r: number; p: number }): Promise<Buffer> {
  const opts: ScryptOptions = { N: 2 ** p.logN, r: p.r, p: p.p, maxmem: 256 * 2 ** p.logN * p.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LEN, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** "scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>" with a fresh 16-byte salt per user. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, DEFAULT);
  return ['scrypt', DEFAULT.logN, DEFAULT.r, DEFAULT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![logN, r, p].every((n) => Number.isInteger(n) && n > 0) || logN > 20) return false;
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await derive(password, Buffer.from(parts[4]!, 'base64'), { logN, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash that matches no password: unknown user names cost the same time as known ones. */
export const DUMMY_HASH = 'scrypt$15$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
