import type { CoreContext } from './context.ts';
import type { ConfigRecord } from './catalog/config-repo.ts';
import { engineDriver } from './engines/registry.ts';
import type { DatabaseEngine } from './engines/engine.ts';
import { targetDriver } from './targets/registry.ts';
import type { Target } from './targets/target.ts';
import { decorateTarget, type TargetLimits } from './targets/decorators/target-limits.ts';
import { LifeboatError } from './errors/lifeboat-error.ts';

/** Parses a stored config with its driver's schema: a bad row names its field instead of failing later. */
function parseConfig<C>(schema: { safeParse(v: unknown): { success: true; data: C } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, rec: ConfigRecord, noun: string, code: 'CONFIG_INVALID' | 'USAGE' = 'CONFIG_INVALID'): C {
  const r = schema.safeParse(rec.config);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new LifeboatError(code, { verb: 'use', thing: noun, where: rec.name, cause: `${i.path.map(String).join('.') || '(config)'}: ${i.message}` });
  }
  return r.data;
}

export function openEngine(ctx: CoreContext, source: ConfigRecord): DatabaseEngine {
  const driver = engineDriver(source.kind);
  const config = parseConfig(driver.configSchema, source, 'source');
  return driver.open(config, { password: source.secret ? ctx.secrets.open(source.secret) : null, sourceName: source.name });
}

/** Opens a target through its driver, wrapped in the decorators every driver gets: retry, bandwidth cap. */
/** Opens a configured target; `mediaId` opens the medium holding one copy (see TargetOpenContext). */
export async function openTarget(ctx: CoreContext, target: ConfigRecord, { mediaId = null }: { mediaId?: string | null } = {}): Promise<Target> {
  const driver = targetDriver(target.kind);
  const config = parseConfig(driver.configSchema, target, 'target');
  const opened = await driver.open(config, { secret: target.secret ? ctx.secrets.open(target.secret) : null, home: ctx.home.root, name: target.name, mediaId });
  return decorateTarget(opened, config as TargetLimits);
}

export { parseConfig };
