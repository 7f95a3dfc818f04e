import type { EngineDriver } from '../registry.ts';
import { MssqlEngine, MSSQL_CAPABILITIES } from './mssql-engine.ts';
import { mssqlConfigSchema, type MssqlConfig } from './mssql-config.ts';

export const mssqlDriver: EngineDriver<MssqlConfig> = {
  kind: 'mssql',
  describe: 'Microsoft SQL Server 2012 and newer, Express included (native BACKUP/RESTORE through a staging folder)',
  capabilities: MSSQL_CAPABILITIES,
  configSchema: mssqlConfigSchema as unknown as EngineDriver<MssqlConfig>['configSchema'],
  open(config, ctx) {
    return new MssqlEngine(config, ctx.password);
  },
};
