import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Target } from '../targets/target.ts';
import { isLifeboatError, LifeboatError } from '../errors/lifeboat-error.ts';
import { REPO_JSON } from './layout.ts';
import { readText } from './read-text.ts';

export const RepoJsonSchema = z.object({
  format: z.literal('lifeboat-repo'),
  formatVersion: z.literal(1),
  repoId: z.string().min(8),
  site: z.string(),
  createdAt: z.string(),
  encryption: z.object({ scheme: z.string(), recipientIds: z.array(z.string()) }).optional(),
  /** Present on rotated disks: identifies the disk and its set (the marker). */
  disk: z.object({ id: z.string(), set: z.string(), label: z.string() }).optional(),
}).loose();

export type RepoJson = z.infer<typeof RepoJsonSchema>;

export async function readRepoJson(target: Target): Promise<RepoJson | null> {
  let text: string;
  try {
    text = await readText(target, REPO_JSON, 64 * 1024);
  } catch (err) {
    if (isLifeboatError(err, 'OBJECT_NOT_FOUND')) return null;
    throw err;
  }
  const parsed = RepoJsonSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new LifeboatError('MANIFEST_INVALID', { verb: 'read', thing: 'repository header', where: `${target.location}/${REPO_JSON}`, cause: parsed.error.issues[0]?.message ?? 'invalid' });
  return parsed.data;
}

/** Creates REPO.json on first use of a target; an existing one is kept (it may carry a disk marker). */
export async function ensureRepoJson(target: Target, site: string): Promise<RepoJson> {
  const existing = await readRepoJson(target);
  if (existing) return existing;
  const repo: RepoJson = { format: 'lifeboat-repo', formatVersion: 1, repoId: randomUUID(), site, createdAt: new Date().toISOString() };
  await writeRepoJson(target, repo);
  return repo;
}

export async function writeRepoJson(target: Target, repo: RepoJson): Promise<void> {
  await target.put(REPO_JSON, Readable.from([Buffer.from(JSON.stringify(repo, null, 2) + '\n')]));
}
