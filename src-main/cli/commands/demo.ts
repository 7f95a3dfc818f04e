import type { Command } from 'commander';
import { createOutput, table, formatDuration } from '../output.ts';
import { globalOptions } from '../cli-context.ts';
import { runDemo } from '../../core/demo/run-demo.ts';

export function registerDemoCommand(program: Command): void {
  program.command('demo').description('back up, verify and restore a sample plant database on a throwaway PostgreSQL (needs no configuration)')
    .option('--keep', 'keep the temporary folder (catalog and backups) for a look afterwards')
    .action(async (o, cmd: Command) => {
      const out = createOutput(Boolean(globalOptions(cmd).json));
      out.info('Lifeboat demo: a throwaway PostgreSQL with a sample plant database.');
      const s = await runDemo({ keep: Boolean(o.keep), log: (l) => out.info(l) });
      out.result(s, () => [
        '',
        ...table(['STEP', 'TIME', 'RESULT'], s.steps.map((x) => [x.step, formatDuration(x.ms), x.detail])),
        '',
        s.ok ? 'DEMO PASSED: backed up, verified, restored and checked.' : 'DEMO FAILED: see the steps above.',
        ...(o.keep ? [`catalog and backups kept under ${s.home}/..`] : []),
      ]);
      if (!s.ok) process.exitCode = 1;
    });
}
