#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ERROR_CODES } from '../core/errors/codes.ts';
import { isLifeboatError } from '../core/errors/lifeboat-error.ts';
import { redact } from '../core/util/redact.ts';
import { APP_VERSION } from '../core/version.ts';
// One entry per command family: its top-level verbs and a loader. Only the families a command line names
// are loaded, so `lifeboat job run` does not pay for the PDF, e-mail or desktop code (start-up time and
// memory: a backup's peak RSS is a measured goal).
type Register = (program: Command) => void;
const COMMANDS: ReadonlyArray<{ verbs: string[]; load: () => Promise<Register> }> = [
  { verbs: ['source'], load: async () => (await import('./commands/source.ts')).registerSourceCommands },
  { verbs: ['target'], load: async () => (await import('./commands/target.ts')).registerTargetCommands },
  { verbs: ['job'], load: async () => (await import('./commands/job.ts')).registerJobCommands },
  { verbs: ['sets'], load: async () => (await import('./commands/sets.ts')).registerSetsCommands },
  { verbs: ['status'], load: async () => (await import('./commands/status.ts')).registerStatusCommand },
  { verbs: ['verify'], load: async () => (await import('./commands/verify.ts')).registerVerifyCommand },
  { verbs: ['restore'], load: async () => (await import('./commands/restore.ts')).registerRestoreCommand },
  { verbs: ['catalog'], load: async () => (await import('./commands/catalog.ts')).registerCatalogCommands },
  { verbs: ['runs'], load: async () => (await import('./commands/runs.ts')).registerRunsCommands },
  { verbs: ['demo'], load: async () => (await import('./commands/demo.ts')).registerDemoCommand },
  { verbs: ['agent'], load: async () => (await import('./commands/agent.ts')).registerAgentCommands },
  { verbs: ['alerts'], load: async () => (await import('./commands/alerts.ts')).registerAlertsCommands },
  { verbs: ['objective'], load: async () => (await import('./commands/objective.ts')).registerObjectiveCommands },
  { verbs: ['drill'], load: async () => (await import('./commands/drill.ts')).registerDrillCommands },
  { verbs: ['serve'], load: async () => (await import('./commands/serve.ts')).registerServeCommand },
  { verbs: ['audit'], load: async () => (await import('./commands/audit.ts')).registerAuditCommands },
  { verbs: ['report'], load: async () => (await import('./commands/report.ts')).registerReportCommands },
  { verbs: ['user'], load: async () => (await import('./commands/user.ts')).registerUserCommands },
  { verbs: ['target', 'media', 'prune'], load: async () => (await import('./commands/target-media.ts')).registerTargetMediaCommands },
];

/** The first word of the command line that is not a global option: the verb whose family to load. */
function verbOf(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--home') { i++; continue; }
    if (a.startsWith('-')) continue;
    return a;
  }
  return undefined;
}

export async function buildProgram(args: string[] = []): Promise<Command> {
  const program = new Command('lifeboat')
    .description('Backup and disaster recovery for SQL Server and PostgreSQL databases')
    .version(APP_VERSION)
    .option('--json', 'print results as JSON')
    .option('--home <dir>', 'Lifeboat data folder (default: $LIFEBOAT_HOME or the per-OS location)')
    .showHelpAfterError()
    .exitOverride();
  const verb = verbOf(args);
  const known = verb !== undefined && COMMANDS.some((c) => c.verbs.includes(verb));
  // Help, an unknown verb (for commander's own message) or no verb: every family.
  for (const c of COMMANDS) if (!known || c.verbs.includes(verb!)) (await c.load())(program);
  program.commands.forEach(function override(c: Command) { c.exitOverride(); c.commands.forEach(override); });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv.slice(2));
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
