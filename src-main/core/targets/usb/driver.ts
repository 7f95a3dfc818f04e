import { z } from 'zod';
import type { TargetDriver } from '../registry.ts';
import { targetLimitsShape } from '../decorators/target-limits.ts';
import { targetPlacementShape } from '../target-placement.ts';
import { mountPoints } from './mount-points.ts';
import { UsbTarget } from './usb-target.ts';

export interface UsbConfig {
  /** The rotation set's name, as written in each disk's marker by `lifeboat target init-disk`. */
  set: string;
  /** Mount paths to probe instead of asking the OS (fixed mount points; tests). */
  mounts?: string[] | undefined;
}

const configSchema = z.object({
  set: z.string().min(1, 'set is required'),
  mounts: z.union([z.array(z.string().min(1)), z.string().transform((s) => s.split(/[,;]/).map((p) => p.trim()).filter(Boolean))]).optional(),
  ...targetLimitsShape, ...targetPlacementShape,
});

export const usbDriver: TargetDriver<UsbConfig> = {
  kind: 'usb',
  describe: 'a rotation set of removable disks; writes to whichever disk of the set is plugged in',
  medium: 'removable disks',
  removable: true,
  configSchema: configSchema as z.ZodType<UsbConfig>,
  async open(config, ctx) {
    return UsbTarget.open(config.set, config.mounts ?? await mountPoints(), ctx.mediaId ?? null);
  },
};
