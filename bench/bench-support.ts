// What the benchmarks share: arguments, the CLI that ships, timing a command, the generated plant database,
// and the parts of "the same work done by standard tools" that do not depend on the target.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { samplePlantSql } from '../src-main/core/demo/sample-plant.ts';
import type { startPostgres } from '../src-main/core/demo/throwaway-postgres.ts';

type Pg = Awaited<ReturnType<typeof startPostgres>>;

export const numberArg = (name: string, def: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * The CLI to measure: the bundle that ships (build/build-shell.ts → dist/cli/main.js), built now; with --ts the
 * sources. Either is started with the V8 flags every launcher uses (src-main/core/util/node-flags.ts).
 */
export function benchCli(): string {
  const root = path.resolve(import.meta.dirname, '..');
  if (process.argv.includes('--ts')) return path.join(root, 'src-main/cli/main.ts');
  execFileSync(process.execPath, [path.join(root, 'build/build-shell.ts')], { stdio: 'ignore' });
  return path.join(root, 'dist/cli/main.js');
}

/** CPU time of the whole machine (all cores) from /proc/stat, in jiffies: busy and total. */
function machineCpu(): { busy: number; total: number } {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]!, total };
}

/**
 * Runs a command, returning wall time, the peak RSS (VmHWM) of the process itself, and how busy the machine's
 * cores were meanwhile (1.0 = every core all the time: the run was bound by CPU, not by waiting).
 */
export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; peakRssMb: number; busy: number }> {
  return new Promise((resolve, reject) => {
    const cpu0 = machineCpu();
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    let peak = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch { /* exited */ }
    }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) return reject(new Error(`${cmd} exited with ${code}`));
      const cpu1 = machineCpu();
      resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, peakRssMb: peak, busy: (cpu1.busy - cpu0.busy) / Math.max(1, cpu1.total - cpu0.total) });
    });
  });
}

/** Where a `job run` spent its wall time, from the run's own record (milliseconds). */
export interface RunBreakdown {
  /** Process start, loading, and exit: the wall time outside the run record. */
  outside: number;
  /** From the run's start to its dump phase: lock, engine, targets. */
  preparing: number;
  /** The dump phase: connecting, the snapshot, the dump and shipping it. */
  dump: number;
  /** Checking every copy (L1) and the engine check (L2). */
  verify: number;
  /** After the checks: MANIFEST.json, recording the set, closing. */
  recording: number;
}

/** The breakdown of the newest run in `home`, which took `wallMs` from process start to exit. */
export function lastRunBreakdown(cli: string, home: string, env: NodeJS.ProcessEnv, wallMs: number, flags: readonly string[]): RunBreakdown {
  const json = (args: string[]) => JSON.parse(execFileSync(process.execPath, [...flags, cli, '--home', home, '--json', ...args], { env, encoding: 'utf8' }));
  const [newest] = json(['runs', 'list', '--limit', '1']) as Array<{ id: string }>;
  const run = json(['runs', 'show', newest!.id]) as { startedAt: string; finishedAt: string; phases: Array<{ phase: string; startedAt: string; finishedAt: string }> };
  const at = (iso: string) => Date.parse(iso);
  const phase = (name: string) => run.phases.find((p) => p.phase === name)!;
  const [dump, verify] = [phase('dump'), phase('verify')];
  return {
    outside: wallMs - (at(run.finishedAt) - at(run.startedAt)),
    preparing: at(dump.startedAt) - at(run.startedAt),
    dump: at(dump.finishedAt) - at(dump.startedAt),
    verify: at(verify.finishedAt) - at(verify.startedAt),
    recording: at(run.finishedAt) - at(verify.finishedAt),
  };
}

/** One line: the median of each part of several runs' breakdowns. */
export function describeBreakdowns(runs: RunBreakdown[]): string {
  const m = (k: keyof RunBreakdown) => `${median(runs.map((r) => r[k])).toFixed(0)} ms`;
  return `Lifeboat's time, median of each part: start-up and exit ${m('outside')}, preparing the run ${m('preparing')}, ` +
    `dump phase (connect, snapshot, dump, ship) ${m('dump')}, checks (L1, L2) ${m('verify')}, manifest and record ${m('recording')}`;
}

/** The plant database at `scale` (48 ≈ 1 GB), as a database in service: hint bits set, statistics current. */
export async function generatePlant(pg: Pg, scale: number): Promise<void> {
  console.log(`generating the plant database at scale ${scale} …`);
  await pg.createDatabase('plant');
  await pg.query('plant', samplePlantSql(scale));
  // So that no run pays for the load that made it.
  await pg.query('plant', 'VACUUM (FREEZE, ANALYZE)');
  const [size] = await pg.query<{ s: string }>('plant', "SELECT pg_size_pretty(pg_database_size('plant')) AS s");
  console.log(`database size: ${size!.s}`);
}

/** pg_dump of the plant database in the baseline's form (custom format, uncompressed), for a shell line. */
export function pgDumpCommand(pg: Pg): string {
  return `${path.join(pg.binDir, 'pg_dump')} -h ${pg.host} -p ${pg.port} -U ${pg.user} -Fc -Z0 plant`;
}

/**
 * The same work as a backup set, by standard tools, for a bash line: `store` is the shell text that ends a pipeline
 * by storing its output under the name it is given (`> file`, or `| ssh … 'cat > file'`). The dump's raw and stored bytes are
 * hashed by openssl, which uses the CPU's SHA instructions as Node does (coreutils' sha256sum does not, and is
 * three times slower); roles through pg_dumpall and row counts of the largest tables run beside the dump, as
 * Lifeboat runs them. `seal` is what comes after zstd (age to a recipient, or nothing); `check` reads the
 * stored copy back once everything has finished. The password comes from $PW.
 */
export function sameWorkCommand(pg: Pg, o: { workFile: string; store: (name: string) => string; seal: string; check: string }): string {
  const conn = `-h ${pg.host} -p ${pg.port} -U ${pg.user}`;
  const counts = ['historian.tag_values', 'mes.batches', 'public.alarms', 'mes.production_orders'].map((t) => `SELECT count(*) FROM ${t};`).join(' ');
  const seal = o.seal ? ` | ${o.seal}` : '';
  // pipefail and a wait per side job: any part failing fails the timed command, as it would fail a backup.
  return `set -o pipefail; export PGPASSWORD="$PW"; ` +
    `( ${path.join(pg.binDir, 'pg_dumpall')} ${conn} --globals-only --no-role-passwords | zstd -3 -q${seal} ${o.store('globals')} ) & roles=$!; ` +
    `( ${path.join(pg.binDir, 'psql')} ${conn} -d plant -Atqc "SET jit = off; SET max_parallel_workers_per_gather = 0; ${counts}" > /dev/null ) & counts=$!; ` +
    `${pgDumpCommand(pg)} | tee >(openssl dgst -sha256 -r > ${o.workFile}.raw.sha) | zstd -3 -T2 -q${seal} | tee >(openssl dgst -sha256 -r > ${o.workFile}.sha) ` +
    `${o.store('dump')} && wait $roles && wait $counts && ${o.check}`;
}
