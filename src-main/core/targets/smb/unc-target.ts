import { spawn } from 'node:child_process';
import { LifeboatError } from '../../errors/lifeboat-error.ts';
import { FolderTarget, type FolderTargetConfig } from '../local/folder-target.ts';

/**
 * SMB on Windows: the OS client already does SMB3, signing and encryption, so a share is a folder at a UNC
 * path (pgBackRest's CIFS driver is its POSIX driver the same way). Not testable on Linux; the folder
 * target it reuses runs the contract suite.
 */
export class UncFolderTarget extends FolderTarget {
  override readonly kind: string = 'smb';

  constructor(config: FolderTargetConfig) {
    super(config, { hashInPlace: false });
  }
}

export function uncPath(host: string, share: string, folder: string): string {
  return `\\\\${host}\\${share}${folder ? '\\' + folder.replace(/\//g, '\\').replace(/^\\+|\\+$/g, '') : ''}`;
}

/**
 * Applies credentials to \\host\share for this session (what `net use \\host\share /user:u` does), without
 * the password on any command line: PowerShell reads it from its environment.
 */
export function applyUncCredentials(host: string, share: string, username: string, password: string): Promise<void> {
  const script = 'New-SmbMapping -RemotePath $env:LB_SMB_REMOTE -UserName $env:LB_SMB_USER -Password $env:LB_SMB_PASS -Persistent $false -ErrorAction Stop | Out-Null';
  return new Promise((resolve, reject) => {
    const child = spawn('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], {
      env: { ...process.env, LB_SMB_REMOTE: `\\\\${host}\\${share}`, LB_SMB_USER: username, LB_SMB_PASS: password },
      stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true,
    });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => { err += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      // "Multiple connections ... by the same user" (1219) means a mapping exists already: use it.
      if (code === 0 || /1219|already/i.test(err)) resolve();
      else reject(new LifeboatError(/1326|logon failure|password/i.test(err) ? 'TARGET_AUTH_FAILED' : 'TARGET_UNREACHABLE', { verb: 'connect to', thing: 'SMB share', where: `\\\\${host}\\${share}`, cause: err.trim().split('\n')[0] ?? `exit ${code}` }));
    });
  });
}
