import { z } from 'zod';
import type { EngineDriver } from '../registry.ts';
import { PostgresEngine, POSTGRES_CAPABILITIES, type PostgresConfig } from './postgres-engine.ts';

export const postgresDriver: EngineDriver<PostgresConfig> = {
  kind: 'postgres',
  describe: 'PostgreSQL 9.6 and newer (logical backup with pg_dump)',
  capabilities: POSTGRES_CAPABILITIES,
  configSchema: z.object({
    host: z.string().min(1, 'host is required'),
    port: z.coerce.number().int().min(1).max(65535).default(5432),
    user: z.string().min(1, 'user is required'),
    maintenanceDb: z.string().min(1).default('postgres'),
    sslmode: z.enum(['disable', 'prefer', 'require', 'verify-full']).optional(),
    toolsDir: z.string().nullish(),
    connectTimeoutSeconds: z.number().int().positive().optional(),
  }),
  open(config, ctx) {
    return new PostgresEngine(config, ctx.password);
  },
};
