import os from 'node:os';
import { Catalog } from './catalog/catalog.ts';
import { SecretBox } from './secrets/secret-box.ts';
import { homePaths, ensurePrivateDir, type HomePaths } from './util/home.ts';
import { createLogger, fileSink, type Logger } from './util/logger.ts';
import { CoreEventBus } from './events.ts';
import { APP_VERSION } from './version.ts';
import { recoverInterruptedRuns } from './runner/recover-runs.ts';

/** Everything a core operation needs, passed explicitly: no module-level state. */
export interface CoreContext {
  catalog: Catalog;
  secrets: SecretBox;
  home: HomePaths;
  logger: Logger;
  events: CoreEventBus;
  appVersion: string;
  site: string;
  /** Who is acting: a user name, or 'scheduler' / 'cli:<os user>' for unattended work. */
  actor: string;
}

export async function openCore(opts: { home?: string; logger?: Logger; actor?: string; recover?: boolean } = {}): Promise<CoreContext> {
  const home = homePaths(opts.home);
  ensurePrivateDir(home.root);
  const catalog = new Catalog(home.catalog);
  const ctx: CoreContext = {
    catalog,
    secrets: SecretBox.open(home.machineKey),
    home,
    logger: opts.logger ?? createLogger(fileSink(home.logs)),
    events: new CoreEventBus(),
    appVersion: APP_VERSION,
    site: catalog.getSetting('site') ?? os.hostname(),
    actor: opts.actor ?? `cli:${os.userInfo().username}`,
  };
  if (opts.recover !== false) await recoverInterruptedRuns(ctx);
  return ctx;
}

export function closeCore(ctx: CoreContext): void {
  ctx.catalog.close();
}
