import { z } from 'zod';

/** "true", "yes", "1" and the like, as `--option offsite=yes` gives them, or a JSON boolean. */
const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'yes', 'no', '1', '0'], { message: 'yes or no (true/false, 1/0)' }).transform((s) => s === 'true' || s === 'yes' || s === '1'),
]);

/**
 * Where a target keeps its copies, as the engineer declares it (spread into every driver's config schema).
 * Nothing on the wire tells a NAS in the next room from a server in another building: `offsite` says the target
 * is away from the site (another building or site), so its copies count as off site in the 3-2-1-1-0 rule.
 */
export const targetPlacementShape = {
  offsite: flag.optional(),
};

export function isOffsiteTarget(config: Record<string, unknown>): boolean {
  return config.offsite === true;
}
