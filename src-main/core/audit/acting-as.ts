import type { CoreContext } from '../context.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { registerSecret } from '../util/redact.ts';
import { authenticate } from './users.ts';
import { createSession, endSession } from './sessions.ts';
import type { Session } from './authorize.ts';

/**
 * Signs a user in for one administrative action (the CLI's --as); the session ends with the action.
 * Without a user the action is refused: user administration needs a signed-in admin.
 */
export async function actingAs<T>(ctx: CoreContext, as: { user: string; password: string } | undefined, body: (s: Session) => Promise<T>): Promise<T> {
  if (!as) throw new LifeboatError('UNAUTHORIZED', { verb: 'run', thing: 'user command', cause: 'it needs a signed-in user', hint: 'add --as <admin> with --as-password-env VAR or --as-password-stdin' });
  registerSecret(as.password);
  const { token, session } = createSession(ctx, await authenticate(ctx, as.user, as.password));
  try {
    return await body(session);
  } finally {
    endSession(ctx, token);
  }
}
