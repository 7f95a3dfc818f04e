import type { Command } from 'commander';
import { withApi } from '../cli-context.ts';
import { readSecret } from '../secret-input.ts';
import { table } from '../output.ts';
import { LifeboatError } from '../../core/errors/lifeboat-error.ts';
import { isRole } from '../../core/audit/roles.ts';
import { MEANINGS } from '../../core/audit/esign.ts';

interface AsOptions { as?: string; asPasswordEnv?: string; asPasswordStdin?: boolean }

function asOptions(c: Command): Command {
  return c.option('--as <user>', 'act as this Lifeboat user (an admin, or yourself for passwd)')
    .option('--as-password-env <var>', 'that user\'s password from this environment variable')
    .option('--as-password-stdin', 'that user\'s password from standard input');
}

/** The acting user and their password, for the API to sign them in for this one command; none without --as. */
function actingUser(o: AsOptions): { as?: { user: string; password: string } } {
  if (!o.as) return {};
  const pw = readSecret({ env: o.asPasswordEnv, stdin: o.asPasswordStdin }, `password of ${o.as}`);
  if (pw === null) throw new LifeboatError('USAGE', { verb: 'sign in', thing: 'user', where: o.as, cause: 'give the password with --as-password-env or --as-password-stdin' });
  return { as: { user: o.as, password: pw } };
}

function newPassword(o: { passwordEnv?: string; passwordStdin?: boolean }, name: string): string {
  const pw = readSecret({ env: o.passwordEnv, stdin: o.passwordStdin }, `password of ${name}`);
  if (pw === null) throw new LifeboatError('USAGE', { verb: 'set', thing: 'password of', where: name, cause: 'give it with --password-env VAR or --password-stdin (never on the command line)' });
  return pw;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('local Lifeboat users and roles (viewer, operator, admin)');

  asOptions(user.command('add <name>')
    .description('add a user; on first start, the first user must be an admin and needs no --as')
    .requiredOption('--role <role>', 'viewer, operator or admin')
    .option('--full-name <name>', 'printed name shown with e-signatures')
    .option('--password-env <var>', 'the new user\'s password from this environment variable')
    .option('--password-stdin', 'the new user\'s password from standard input'))
    .action(async (name: string, o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      if (!isRole(o.role)) throw new LifeboatError('USAGE', { verb: 'add', thing: 'user', where: name, cause: 'the role must be viewer, operator or admin' });
      const u = await api.users.add.mutate({ name, role: o.role, password: newPassword(o, name), ...(o.fullName ? { fullName: o.fullName } : {}), ...actingUser(o) });
      out.result(u, () => `added ${u.role} ${u.name} (${u.fullName})`);
    }));

  user.command('list').description('list users').action(async (_o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
    const users = await api.users.list.query();
    out.result(users, () => users.length
      ? table(['name', 'full name', 'role', 'state'], users.map((u) => [u.name, u.fullName, u.role, u.disabled ? 'disabled' : u.locked ? `locked until ${u.lockedUntil}` : 'active']))
      : 'no users yet: add the first admin with "lifeboat user add <name> --role admin --password-stdin"');
  }));

  asOptions(user.command('passwd <name>')
    .description('set a user\'s password (an admin for anyone, a user for themself)')
    .option('--password-env <var>', 'the new password from this environment variable')
    .option('--password-stdin', 'the new password from standard input'))
    .action(async (name: string, o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const pw = newPassword(o, name);
      await api.users.passwd.mutate({ name, password: pw, ...actingUser(o) });
      out.result({ name, changed: true }, () => `password of ${name} changed; their open sessions ended`);
    }));

  asOptions(user.command('unlock <name>')
    .description('unlock an account locked after failed sign-ins')
    .option('--reason <text>', 'why (recorded)'))
    .action(async (name: string, o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      await api.users.unlock.mutate({ name, ...(o.reason ? { reason: o.reason } : {}), ...actingUser(o) });
      out.result({ name, unlocked: true }, () => `${name} unlocked`);
    }));

  asOptions(user.command('role <name> <role>')
    .description('change a user\'s role')
    .option('--reason <text>', 'why (recorded)'))
    .action(async (name: string, role: string, o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      if (!isRole(role)) throw new LifeboatError('USAGE', { verb: 'change', thing: 'role of user', where: name, cause: 'the role must be viewer, operator or admin' });
      const u = await api.users.role.mutate({ name, role, ...(o.reason ? { reason: o.reason } : {}), ...actingUser(o) });
      out.result(u, () => `${u.name} is now ${u.role}`);
    }));
  user.command('sign')
    .description('e-sign an action (e.g. restore.overwrite on <source>/<database>): re-enter the password, give a meaning and a reason; prints the signature id the action needs')
    .requiredOption('--as <user>', 'the signer')
    .option('--as-password-env <var>', 'the signer\'s password from this environment variable')
    .option('--as-password-stdin', 'the signer\'s password from standard input')
    .requiredOption('--action <action>', 'restore.overwrite, restore.integrity-override, sets.delete or legal-hold.release')
    .requiredOption('--object <object>', 'what the action is on, e.g. plant-pg/mes')
    .requiredOption('--meaning <meaning>', MEANINGS.join(', '))
    .requiredOption('--reason <text>', 'why (printed with the signature)')
    .action(async (o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const pw = readSecret({ env: o.asPasswordEnv, stdin: o.asPasswordStdin }, `password of ${o.as}`);
      if (pw === null) throw new LifeboatError('USAGE', { verb: 'sign', thing: 'action', where: o.action, cause: 'give the password with --as-password-env or --as-password-stdin' });
      const sig = await api.users.sign.mutate({ user: o.as, password: pw, meaning: o.meaning, action: o.action, object: o.object, reason: o.reason });
      const id = sig.id;
      out.result(sig, () => [`signature ${id}`, `  ${sig.fullName} (${sig.userName}), ${sig.meaning}, ${sig.signedAt}: ${sig.action} on ${sig.object}: ${sig.reason}`]);
    }));
}
