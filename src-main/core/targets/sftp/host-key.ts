import { createHash } from 'node:crypto';
import { LifeboatError } from '../../errors/lifeboat-error.ts';

/** The fingerprint as `ssh-keygen -lf` prints it: "SHA256:" + unpadded base64 of the key blob's SHA-256. */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;

/**
 * Host-key pinning: an unapproved key and a changed key are both hard stops before any credential or byte
 * is sent. The messages carry the fingerprints so an administrator can compare them with the server's
 * (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the NAS).
 */
export function checkHostKey(seen: string, approved: string | undefined, where: string, targetName = '<target>'): LifeboatError | null {
  const approve = `lifeboat target approve-key ${/^[\w.-]+$/.test(targetName) ? targetName : `'${targetName}'`} ${seen}`;
  if (approved === undefined) {
    return new LifeboatError('HOST_KEY_UNKNOWN', {
      verb: 'connect to', thing: 'SFTP server', where,
      cause: `its host key ${seen} has not been approved`,
      hint: `compare it with the server's fingerprint, then run "${approve}"`,
      details: { fingerprint: seen },
    });
  }
  if (seen !== approved) {
    return new LifeboatError('HOST_KEY_CHANGED', {
      verb: 'connect to', thing: 'SFTP server', where,
      cause: `its host key changed: approved ${approved}, server now offers ${seen}; nothing was sent`,
      hint: `this may be an attack or a reinstalled server; only after checking with the NAS administrator run "${approve}"`,
      details: { fingerprint: seen, approved },
    });
  }
  return null;
}
