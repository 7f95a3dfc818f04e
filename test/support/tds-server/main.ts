// Runs the TDS test server on its own, for trying the CLI or the live suite against it by hand:
//   node test/support/tds-server/main.ts --edition express --staging /tmp/staging
// It prints one JSON line with the port and a LIFEBOAT_MSSQL_URL, then serves until interrupted.
import { parseArgs } from 'node:util';
import { startTdsServer } from './server.ts';
import type { Edition } from './model.ts';

const { values } = parseArgs({ options: { edition: { type: 'string', default: 'developer' }, staging: { type: 'string' }, password: { type: 'string', default: 'Str0ng!Passw0rd' } } });
const staging = values.staging;
const srv = await startTdsServer({
  edition: values.edition as Edition,
  logins: { sa: values.password! },
  ...(staging ? { pathMap: { 'S:\\LifeboatStaging': staging } } : {}),
});
const url = `mssql://sa:${encodeURIComponent(values.password!)}@${srv.host}:${srv.port}/?encrypt=off&stagingServerPath=${encodeURIComponent('S:\\LifeboatStaging')}&stagingLocalPath=${encodeURIComponent(staging ?? '')}`;
process.stdout.write(JSON.stringify({ port: srv.port, url }) + '\n');
process.on('SIGINT', () => { void srv.stop().then(() => process.exit(0)); });
process.on('SIGTERM', () => { void srv.stop().then(() => process.exit(0)); });
