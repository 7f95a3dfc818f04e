import fs from 'node:fs';
import { LifeboatError } from '../core/errors/lifeboat-error.ts';
import { registerSecret } from '../core/util/redact.ts';

/**
 * Secrets reach the CLI through an environment variable named by the user (--password-env NAME) or
 * standard input (--password-stdin), never as an argument: argv is readable by every user of the machine.
 */
export function readSecret(opts: { env?: string | undefined; stdin?: boolean | undefined }, what: string): string | null {
  if (opts.env) {
    const v = process.env[opts.env];
    if (v === undefined || v === '') throw new LifeboatError('USAGE', { verb: 'read', thing: what, where: opts.env, cause: 'the environment variable is not set' });
    registerSecret(v);
    return v;
  }
  if (opts.stdin) {
    const v = fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
    if (!v) throw new LifeboatError('USAGE', { verb: 'read', thing: what, where: 'standard input', cause: 'nothing was given' });
    registerSecret(v);
    return v;
  }
  return null;
}
