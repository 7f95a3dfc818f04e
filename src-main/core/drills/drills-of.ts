import type { Catalog } from '../catalog/catalog.ts';
import { DrillsRepo } from '../catalog/drills-repo.ts';

const repos = new WeakMap<Catalog, DrillsRepo>();

/** The drills repository of a catalog, made once per catalog object. */
export function drillsOf(catalog: Catalog): DrillsRepo {
  let r = repos.get(catalog);
  if (!r) { r = new DrillsRepo(catalog.db); repos.set(catalog, r); }
  return r;
}
