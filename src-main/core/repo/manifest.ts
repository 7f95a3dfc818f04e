import { z } from 'zod';
import { LifeboatError } from '../errors/lifeboat-error.ts';

// MANIFEST.json (DESIGN §3). Parsed strictly: a disk that comes back from off site may carry a hostile or
// damaged manifest, and nothing in it is trusted until it passes this schema.
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');
const fileName = z.string().min(1).max(200).regex(/^[^/\\\0]+$/, 'must be a plain file name').refine((n) => n !== '.' && n !== '..', 'must be a plain file name');

export const ArtifactSchema = z.object({
  name: fileName,
  role: z.string().min(1).max(40),
  bytes: z.number().int().nonnegative(),
  sha256,
  rawBytes: z.number().int().nonnegative(),
  rawSha256: sha256,
  compression: z.enum(['zstd', 'none']),
  encryption: z.enum(['age', 'none']),
});

export const ProbeSchema = z.object({
  schema: z.string(),
  table: z.string(),
  rows: z.number().int().nonnegative(),
});

export const ManifestSchema = z.object({
  format: z.literal('lifeboat-set'),
  formatVersion: z.literal(1),
  setId: z.string().regex(/^set_[0-9a-z]+$/),
  engine: z.string().min(1).max(40),
  server: z.string().min(1).max(200),
  database: z.string().min(1).max(400),
  serverVersion: z.string().max(200).nullable(),
  type: z.enum(['full', 'diff', 'log', 'copy-only']),
  parentSetId: z.string().nullable(),
  // Engine-specific chain fields: LSNs are strings (numeric(25,0) does not fit a JS number), WAL positions too.
  chain: z.record(z.string(), z.union([z.string(), z.boolean(), z.null()])),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  toolVersions: z.record(z.string(), z.string()),
  appVersion: z.string(),
  encryption: z.object({ scheme: z.enum(['none', 'age-scrypt', 'age-x25519']), recipients: z.array(z.string()).optional() }),
  artifacts: z.array(ArtifactSchema).min(1).max(1000),
  probes: z.array(ProbeSchema).max(1000),
  tags: z.array(z.string().max(60)).max(50),
  job: z.string().nullable(),
});

export type Manifest = z.infer<typeof ManifestSchema>;
export type ArtifactEntry = z.infer<typeof ArtifactSchema>;
export type Probe = z.infer<typeof ProbeSchema>;

export function parseManifest(text: string, where: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new LifeboatError('MANIFEST_INVALID', { verb: 'read', thing: 'manifest', where, cause: `not JSON (${(err as Error).message})` });
  }
  const r = ManifestSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0]!;
    throw new LifeboatError('MANIFEST_INVALID', { verb: 'read', thing: 'manifest', where, cause: `${first.path.join('.') || '(root)'}: ${first.message}` });
  }
  const names = new Set<string>();
  for (const a of r.data.artifacts) {
    if (names.has(a.name)) throw new LifeboatError('MANIFEST_INVALID', { verb: 'read', thing: 'manifest', where, cause: `artifact '${a.name}' is listed twice` });
    names.add(a.name);
  }
  return r.data;
}

export function manifestText(m: Manifest): string {
  return JSON.stringify(m, null, 2) + '\n';
}
