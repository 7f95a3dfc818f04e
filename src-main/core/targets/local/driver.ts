import { z } from 'zod';
import type { TargetDriver } from '../registry.ts';
import { FolderTarget, type FolderTargetConfig } from './folder-target.ts';
import { targetLimitsShape } from '../decorators/target-limits.ts';
import { targetPlacementShape } from '../target-placement.ts';

export const localDriver: TargetDriver<FolderTargetConfig> = {
  kind: 'local',
  describe: 'a folder on this machine or a mounted share',
  medium: 'a disk of this machine',
  removable: false,
  configSchema: z.object({ path: z.string().min(1, 'path is required'), ...targetLimitsShape, ...targetPlacementShape }),
  async open(config) {
    return new FolderTarget(config);
  },
};
