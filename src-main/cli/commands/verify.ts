import fs from 'node:fs';
import type { Command } from 'commander';
import { withApi, collect } from '../cli-context.ts';
import { readSecret } from '../secret-input.ts';
import { LifeboatError } from '../../core/errors/lifeboat-error.ts';
import type { DecryptionKeys } from '../../core/pipeline/age-crypt.ts';

export function decryptionKeyOptions(cmd: Command): Command {
  return cmd
    .option('--passphrase-env <var>', 'decryption passphrase from this environment variable')
    .option('--passphrase-stdin', 'decryption passphrase from standard input')
    .option('--identity <file>', 'age identity file (AGE-SECRET-KEY-1…) for sets encrypted to recipients', collect);
}

export function readKeys(o: { passphraseEnv?: string; passphraseStdin?: boolean; identity?: string[] }): DecryptionKeys {
  const passphrase = readSecret({ env: o.passphraseEnv, stdin: o.passphraseStdin }, 'passphrase');
  const identities = (o.identity ?? []).flatMap((f) => {
    let text: string;
    try { text = fs.readFileSync(f, 'utf8'); } catch (err) { throw new LifeboatError('USAGE', { verb: 'read', thing: 'identity file', where: f, cause: (err as Error).message }); }
    return text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('AGE-SECRET-KEY-'));
  });
  return { ...(passphrase ? { passphrase } : {}), ...(identities.length ? { identities } : {}) };
}

export function registerVerifyCommand(program: Command): void {
  decryptionKeyOptions(program.command('verify [set...]')
    .description('re-read every stored file of the sets on every target and compare its SHA-256 (exit 3 on a mismatch)')
    .option('--all', 'every set in the catalog')
    .option('--database <db>', 'every set of this database')
    .option('--no-engine', 'skip the engine-level check (pg_restore --list)'))
    .action(async (ids: string[], o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const keys = readKeys(o);
      const { runId, results } = await api.recovery.verify.mutate({
        ...(ids.length ? { setIds: ids } : {}), ...(o.all ? { all: true } : {}), ...(o.database ? { database: o.database } : {}),
        engineLevel: o.engine !== false, trigger: 'manual', ...(keys.passphrase || keys.identities ? { keys } : {}),
      });
      out.result({ runId, results }, () => results.flatMap((r) => [
        `${r.setId} (${r.database}): ${r.ok ? 'OK' : 'FAILED'}`,
        ...r.copies.map((c) => `  copy on ${c.targetName}: ${c.ok ? `${c.artifacts.length} file(s) match their SHA-256` : `${c.failure === 'mismatch' ? 'MISMATCH' : c.failure === 'away' ? 'AWAY' : 'UNREADABLE'} — ${c.problem}`}`),
        ...(r.engine ? [`  engine check: ${r.engine.skipped ? `skipped (${r.engine.skipped})` : r.engine.ok ? 'passed' : `FAILED — ${r.engine.message}`}`] : []),
      ]));
      const bad = results.filter((r) => !r.ok);
      if (bad.length) {
        const mismatch = bad.some((r) => r.copies.some((c) => c.failure === 'mismatch') || (r.engine && !r.engine.ok));
        process.exitCode = mismatch ? 3 : 1;
      }
    }));
}
