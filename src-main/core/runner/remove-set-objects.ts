import type { Target } from '../targets/target.ts';
import { MANIFEST } from '../repo/layout.ts';

/** Removes a set folder's objects, MANIFEST.json first, so an interrupted removal never leaves a listed set with missing files. */
export async function removeSetObjects(target: Target, setPath: string): Promise<number> {
  const objects = await target.list(`${setPath}/`);
  const manifest = objects.find((o) => o.name === `${setPath}/${MANIFEST}`);
  if (manifest) await target.remove(manifest.name);
  for (const o of objects) if (o !== manifest) await target.remove(o.name);
  return objects.length;
}
