import type { CoreContext } from '../context.ts';
import type { SetRecord } from '../catalog/sets-repo.ts';
import { formatSeconds, protectedDatabases, recoveryOrder } from './inventory.ts';
import { manualRestoreSteps, type ManualStep } from './manual-steps.ts';
import { awayCopies } from '../objectives/copy-rule.ts';
import { TARGET_DRIVERS } from '../targets/registry.ts';

export interface Contact { role: string; name: string; phone?: string; email?: string; alternate?: string }

export interface RunbookDatabase {
  order: number;
  server: string;
  database: string;
  engine: string;
  host: string | null;
  port: number | null;
  classification: string | null;
  criticality: number | null;
  owner: string | null;
  rpo: string;
  rto: string;
  jobs: { name: string; schedule: string | null; encryption: string; recipients: string[] }[];
  targets: { name: string; kind: string; location: string; offline: boolean }[];
  lastGood: { setId: string; type: string; finishedAt: string; path: string; encryption: string; artifacts: { name: string; bytes: number; sha256: string }[]; copies: { target: string; status: string; lastL1: string | null }[]; probes: { table: string; rows: number }[] } | null;
  offlineCopies: { setId: string; finishedAt: string; target: string }[];
  media: string[];
  lifeboatSteps: string[];
  manualSteps: ManualStep[];
}

export interface RunbookData {
  kind: 'lifeboat-runbook';
  formatVersion: 1;
  runbookId: string;
  site: string;
  generatedAt: string;
  generatedBy: string;
  appVersion: string;
  paperCopies: string | null;
  contacts: Contact[];
  users: { name: string; fullName: string; role: string }[];
  encryptionSchemes: string[];
  recipients: string[];
  keyEscrow: string | null;
  databases: RunbookDatabase[];
}

function parseContacts(text: string | undefined): Contact[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((c): c is Contact => typeof c === 'object' && c !== null && typeof (c as Contact).role === 'string' && typeof (c as Contact).name === 'string') : [];
  } catch {
    return [];
  }
}

/** The chain to restore a set: its parents back to the full, oldest first. */
function chainOf(ctx: CoreContext, set: SetRecord): SetRecord[] {
  const chain = [set];
  let cur = set;
  while (cur.parentSetId && chain.length < 10_000) {
    const parent = ctx.catalog.sets.find(cur.parentSetId);
    if (!parent) break;
    chain.unshift(parent);
    cur = parent;
  }
  return chain;
}

/** Everything the runbook prints, from the live configuration and the newest verified sets. */
export function collectRunbookData(ctx: CoreContext, opts: { runbookId: string; generatedAt: string }): RunbookData {
  const targets = new Map(ctx.catalog.targets.list().map((t) => [t.id, t]));
  const media = ctx.catalog.evidence.mediaTables();
  const settings = ctx.catalog.evidence.settings('runbook.');
  const dbs = recoveryOrder(protectedDatabases(ctx));
  const schemes = new Set<string>();
  const recipients = new Set<string>();
  const databases: RunbookDatabase[] = dbs.map((d, i) => {
    const source = ctx.catalog.sources.find(d.server);
    const port = typeof source?.config.port === 'number' ? source.config.port : null;
    const user = typeof source?.config.user === 'string' ? source.config.user : null;
    const sets = ctx.catalog.sets.list({ server: d.server, database: d.database });
    const verified = sets.filter((s) => s.copies.some((c) => c.status === 'present' && ctx.catalog.verifications.latest(s.id, c.id, 1)?.result === 'passed'));
    const last = verified.at(-1) ?? null;
    for (const j of d.jobs) {
      schemes.add(j.options.encryption);
      for (const r of j.options.recipients ?? []) recipients.add(r);
    }
    for (const s of sets) schemes.add(s.encryption === 'age-x25519' ? 'recipients' : s.encryption === 'age-scrypt' ? 'passphrase' : 'none');
    // Offline: on a rotated disk taken off site, out of reach of whatever compromised this network.
    const offlineCopies = awayCopies(ctx.catalog, sets).offline
      .map((c) => ({ setId: c.setId, finishedAt: c.finishedAt, target: c.disk ? `${c.target} (disk ${c.disk})` : c.target }));
    const ids = [...d.targets.map((t) => t.id), ...sets.map((s) => s.id), ...sets.flatMap((s) => s.copies.map((c) => c.mediaId ?? '')).filter(Boolean)];
    const mediaLines = media.flatMap((m) => m.rows.filter((r) => Object.values(r).some((v) => typeof v === 'string' && ids.includes(v)))
      .map((r) => `${m.table}: ${[...m.columns].sort((x, y) => Number(y === 'label') - Number(x === 'label')).map((c) => `${c}=${r[c] ?? ''}`).join(', ')}`));
    const lifeboatSteps = last ? [
      `lifeboat verify ${last.id}`,
      `lifeboat restore ${last.id} --as ${d.database}_restored${last.encryption === 'age-x25519' ? ' --identity <key file>' : last.encryption === 'age-scrypt' ? ' --passphrase-stdin' : ''}`,
      `lifeboat restore --database ${d.database} --at <UTC time before the incident>    # newest set at or before that time`,
      `lifeboat restore ${last.id} --overwrite --confirm    # over the live database: needs an e-signature; a safety backup is taken first`,
    ] : [`# no verified set of ${d.database} is recorded: restore from the newest copy found on a target (lifeboat catalog rebuild --from-target <target>)`];
    return {
      order: i + 1, server: d.server, database: d.database, engine: d.engine, host: d.host, port, classification: d.classification, criticality: d.criticality, owner: d.owner,
      rpo: formatSeconds(d.rpoSeconds), rto: formatSeconds(d.rtoSeconds),
      jobs: d.jobs.map((j) => ({ name: j.name, schedule: j.schedule, encryption: j.options.encryption, recipients: j.options.recipients ?? [] })),
      targets: d.targets.map((t) => ({ name: t.name, kind: t.kind, location: t.location, offline: TARGET_DRIVERS[t.kind]?.removable ?? false })),
      lastGood: last ? {
        setId: last.id, type: last.type, finishedAt: last.finishedAt, path: last.path, encryption: last.encryption,
        artifacts: last.artifacts.map((a) => ({ name: a.name, bytes: a.bytes, sha256: a.sha256 })),
        copies: last.copies.map((c) => ({ target: targets.get(c.targetId)?.name ?? c.targetId, status: c.status, lastL1: ctx.catalog.verifications.latest(last.id, c.id, 1)?.finishedAt ?? null })),
        probes: last.probes.map((p) => ({ table: `${p.schema}.${p.table}`, rows: p.rows })),
      } : null,
      offlineCopies,
      media: mediaLines,
      lifeboatSteps,
      manualSteps: last ? manualRestoreSteps(chainOf(ctx, last), { host: d.host, port, user }) : [],
    };
  });
  return {
    kind: 'lifeboat-runbook', formatVersion: 1, runbookId: opts.runbookId, site: ctx.catalog.getSetting('site') ?? ctx.site,
    generatedAt: opts.generatedAt, generatedBy: ctx.actor, appVersion: ctx.appVersion,
    paperCopies: settings['runbook.paper_copies'] ?? null,
    contacts: parseContacts(settings['runbook.contacts']),
    users: ctx.catalog.users.list().filter((u) => !u.disabled).map((u) => ({ name: u.name, fullName: u.fullName, role: u.role })),
    encryptionSchemes: [...schemes].sort(), recipients: [...recipients].sort(),
    keyEscrow: settings['runbook.key_escrow'] ?? null,
    databases,
  };
}
