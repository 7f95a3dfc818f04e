import type { Command } from 'commander';
import { withApi } from '../cli-context.ts';

export function registerCatalogCommands(program: Command): void {
  const catalog = program.command('catalog').description('the local catalog');
  catalog.command('rebuild').description('learn every complete set from a target\'s repository (after losing the workstation)')
    .requiredOption('--from-target <target>', 'target to read (add it first with "lifeboat target add")')
    .action(async (o, cmd: Command) => withApi(cmd, async ({ api, out }) => {
      const r = await api.catalog.rebuild.mutate({ target: o.fromTarget });
      out.result(r, () => [
        `read ${r.target}: ${r.added.length} set(s) added, ${r.alreadyKnown.length} already known, ${r.copiesAdded.length} copy record(s) added`,
        ...(r.incomplete.length ? [`  ${r.incomplete.length} incomplete set folder(s) without MANIFEST.json ignored`] : []),
        ...r.rejected.map((x) => `  rejected ${x.path}: ${x.reason}`),
      ]);
    }));
}
