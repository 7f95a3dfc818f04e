import type { z } from 'zod';
import type { DatabaseEngine, EngineCapabilities } from './engine.ts';
import { postgresDriver } from './postgres/driver.ts';
import { mssqlDriver } from './mssql/driver.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

export interface EngineOpenContext {
  /** The unsealed password of the source, if any. */
  password: string | null;
  /** The source's name: the <server> folder of the repository. */
  sourceName: string;
}

export interface EngineDriver<C = unknown> {
  kind: string;
  describe: string;
  capabilities: EngineCapabilities;
  configSchema: z.ZodType<C>;
  open(config: C, ctx: EngineOpenContext): DatabaseEngine;
}

export const ENGINE_DRIVERS: Record<string, EngineDriver<any>> = {
  postgres: postgresDriver,
  mssql: mssqlDriver,
};

export function engineDriver(kind: string): EngineDriver<unknown> {
  const d = ENGINE_DRIVERS[kind];
  if (!d) throw new LifeboatError('USAGE', { verb: 'use', thing: 'source kind', where: kind, cause: `known kinds: ${Object.keys(ENGINE_DRIVERS).join(', ')}` });
  return d;
}
