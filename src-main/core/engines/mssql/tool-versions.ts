import { createRequire } from 'node:module';

const requireCjs = createRequire(import.meta.url);

/** The driver versions that talked to the server, recorded in every manifest. */
export const TOOL_VERSIONS: Readonly<Record<string, string>> = {
  mssql: (requireCjs('mssql/package.json') as { version: string }).version,
  tedious: (requireCjs('tedious/package.json') as { version: string }).version,
};
