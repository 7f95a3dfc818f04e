#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ERROR_CODES } from '../core/errors/codes.ts';
import { isLifeboatError } from '../core/errors/lifeboat-error.ts';
import { redact } from '../core/util/redact.ts';
import { APP_VERSION } from '../core/version.ts';
import { registerSourceCommands } from './commands/source.ts';
import { registerTargetCommands } from './commands/target.ts';
import { registerJobCommands } from './commands/job.ts';
import { registerSetsCommands } from './commands/sets.ts';
import { registerVerifyCommand } from './commands/verify.ts';
import { registerRestoreCommand } from './commands/restore.ts';
import { registerCatalogCommands } from './commands/catalog.ts';
import { registerRunsCommands } from './commands/runs.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerAgentCommands } from './commands/agent.ts';
import { registerAlertsCommands } from './commands/alerts.ts';
import { registerObjectiveCommands } from './commands/objective.ts';
import { registerDrillCommands } from './commands/drill.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerReportCommands } from './commands/report.ts';
import { registerUserCommands } from './commands/user.ts';
import { registerTargetMediaCommands } from './commands/target-media.ts';

// One line per command family; each file registers its verbs on the program.
const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerSourceCommands,
  registerTargetCommands,
  registerJobCommands,
  registerSetsCommands,
  registerVerifyCommand,
  registerRestoreCommand,
  registerCatalogCommands,
  registerRunsCommands,
  registerDemoCommand,
  registerAgentCommands,
  registerAlertsCommands,
  registerObjectiveCommands,
  registerDrillCommands,
  registerServeCommand,
  registerAuditCommands,
  registerReportCommands,
  registerUserCommands,
  registerTargetMediaCommands,
];

export function buildProgram(): Command {
  const program = new Command('lifeboat')
    .description('Backup and disaster recovery for SQL Server and PostgreSQL databases')
    .version(APP_VERSION)
    .option('--json', 'print results as JSON')
    .option('--home <dir>', 'Lifeboat data folder (default: $LIFEBOAT_HOME or the per-OS location)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  program.commands.forEach(function override(c: Command) { c.exitOverride(); c.commands.forEach(override); });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    const json = argv.includes('--json');
    if (isLifeboatError(err)) {
      if (json) process.stdout.write(JSON.stringify({ error: err.toJSON() }, null, 2) + '\n');
      process.stderr.write(`lifeboat: ${redact(err.message)}\n`);
      if (err.hint) process.stderr.write(`  next step: ${redact(err.hint)}\n`);
      return ERROR_CODES[err.code].exit;
    }
    const message = err instanceof Error ? err.stack ?? err.message : String(err);
    if (json) process.stdout.write(JSON.stringify({ error: { code: 'INTERNAL', message: redact(String(err)), retryable: false } }, null, 2) + '\n');
    process.stderr.write(`lifeboat: unexpected error: ${redact(message)}\n`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('main.ts')) {
  main(process.argv).then((code) => process.exit(code), () => process.exit(1));
}
