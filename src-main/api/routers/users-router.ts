import { z } from 'zod';
import { router, procedure } from '../trpc.ts';
import { addUser, changePassword, listUsers, needsFirstAdmin, setUserRole, unlockUser } from '../../core/audit/users.ts';
import { actingAs } from '../../core/audit/acting-as.ts';
import { signAction } from '../../core/audit/esign.ts';
import { ROLES } from '../../core/audit/roles.ts';
import { verifyAuditTrail } from '../../core/audit/verify-chain.ts';
import { takeCheckpoint } from '../../core/audit/checkpoint.ts';
import { registerSecret } from '../../core/util/redact.ts';
import type { Role } from '../../core/catalog/users-repo.ts';
import type { SignatureMeaning } from '../../core/catalog/signatures-repo.ts';

// Passwords travel in the request body only (never a URL or argv) and are registered for redaction at once.
const password = z.string().min(1).transform((p) => { registerSecret(p); return p; });
/** The administrator (or, for passwd, the user themself) signing in for this one action. */
const as = z.object({ user: z.string().min(1), password }).optional();
const role = z.enum(ROLES as [Role, ...Role[]]);
const reason = z.string().min(1).nullable().optional();

/** Local Lifeboat users and roles, and e-signatures (Part 11). Every change is made by a signed-in admin. */
export const usersRouter = router({
  list: procedure.query(({ ctx }) => listUsers(ctx.core)),
  /** On first start the first user (an admin) needs nobody signed in; afterwards `as` must be an admin. */
  add: procedure
    .input(z.object({ name: z.string().min(1), role, fullName: z.string().min(1).optional(), password, as }))
    .mutation(async ({ ctx, input }) => {
      const core = ctx.core;
      const user = { name: input.name, role: input.role, password: input.password, ...(input.fullName ? { fullName: input.fullName } : {}) };
      return needsFirstAdmin(core) ? addUser(core, user, null) : actingAs(core, input.as, (s) => addUser(core, user, s));
    }),
  passwd: procedure.input(z.object({ name: z.string().min(1), password, as })).mutation(async ({ ctx, input }) => {
    const core = ctx.core;
    await actingAs(core, input.as, (s) => changePassword(core, input.name, input.password, s));
    return { name: input.name, changed: true };
  }),
  unlock: procedure.input(z.object({ name: z.string().min(1), reason, as })).mutation(async ({ ctx, input }) => {
    const core = ctx.core;
    await actingAs(core, input.as, async (s) => unlockUser(core, input.name, s, input.reason ?? null));
    return { name: input.name, unlocked: true };
  }),
  role: procedure.input(z.object({ name: z.string().min(1), role, reason, as })).mutation(async ({ ctx, input }) => {
    const core = ctx.core;
    return actingAs(core, input.as, async (s) => setUserRole(core, input.name, input.role, s, input.reason ?? null));
  }),
  /** E-signs an action (password entered again, a meaning, a reason); returns the signature its action must present. */
  sign: procedure
    .input(z.object({ user: z.string().min(1), password, action: z.string().min(1), object: z.string(), meaning: z.string(), reason: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const core = ctx.core;
      const id = await signAction(core, { user: input.user, password: input.password, meaning: input.meaning as SignatureMeaning, action: input.action, object: input.object, reason: input.reason });
      return core.catalog.signatures.get(id)!;
    }),
});

/** The tamper-evident audit trail: check it, read it, sign its head now. */
export const auditRouter = router({
  verify: procedure.query(({ ctx }) => verifyAuditTrail(ctx.core)),
  list: procedure
    .input(z.object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional(), action: z.string().min(1).optional(), limit: z.number().int().min(0).max(100_000).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => ctx.core.catalog.audit.list({
      ...(input.action ? { action: input.action } : {}), limit: input.limit, ...(input.from ? { from: input.from } : {}), ...(input.to ? { to: input.to } : {}),
    })),
  checkpoint: procedure.mutation(({ ctx }) => takeCheckpoint(ctx.core, 'manual')),
});
