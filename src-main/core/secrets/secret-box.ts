import fs from 'node:fs';
import path from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { registerSecret } from '../util/redact.ts';

const PREFIX = 'lb1:';

/**
 * Seals database passwords and encryption passphrases before they enter the catalog. The key lives in a
 * file beside the catalog, readable by the owner only, so a copied catalog alone reveals no secret.
 * (On Windows the installer should wrap this key with DPAPI; the file format leaves room for that.)
 */
export class SecretBox {
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
  }

  static open(keyFile: string): SecretBox {
    let key: Buffer;
    if (fs.existsSync(keyFile)) {
      key = fs.readFileSync(keyFile);
      if (key.length !== 32) {
        throw new LifeboatError('CONFIG_INVALID', { verb: 'read', thing: 'machine key', where: keyFile, cause: `expected 32 bytes, found ${key.length}` });
      }
    } else {
      fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
      key = randomBytes(32);
      fs.writeFileSync(keyFile, key, { mode: 0o600, flag: 'wx' });
    }
    return new SecretBox(key);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#key, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return PREFIX + Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
  }

  open(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) {
      throw new LifeboatError('CONFIG_INVALID', { verb: 'open', thing: 'sealed secret', cause: 'unknown format' });
    }
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    try {
      const d = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      const plain = Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
      registerSecret(plain);
      return plain;
    } catch {
      throw new LifeboatError('CONFIG_INVALID', {
        verb: 'open', thing: 'sealed secret', cause: 'the machine key does not match (was the catalog copied from another machine?)',
        hint: 'enter the password again with the matching "add" command',
      });
    }
  }
}
