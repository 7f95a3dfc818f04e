import type { Target } from '../targets/target.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

/** Reads a small object as UTF-8, refusing anything larger than `limit` (a hostile disk may lie). */
export async function readText(target: Target, name: string, limit: number): Promise<string> {
  const info = await target.stat(name);
  if (info.size > limit) {
    throw new LifeboatError('MANIFEST_INVALID', { verb: 'read', thing: 'file', where: `${target.location}/${name}`, cause: `${info.size} bytes is larger than the ${limit} allowed` });
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of await target.get(name)) {
    total += (c as Buffer).length;
    if (total > limit) throw new LifeboatError('MANIFEST_INVALID', { verb: 'read', thing: 'file', where: `${target.location}/${name}`, cause: `larger than the ${limit} allowed` });
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
