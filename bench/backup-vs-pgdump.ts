// Benchmark (issue 2): `lifeboat job run` (SHA-256 + zstd + age encryption, local folder target) against
// `pg_dump -Fc -Z0 | zstd -3 -T2 > file` on the same generated plant database, alternating runs.
// Reports the median time ratio and the Lifeboat process's peak RSS. Goals: ratio ≤ 1.0, RSS ≤ 150 MB.
// Also times the same work as a backup set done by standard tools (bash, openssl, age, psql), for comparison.
//
//   node bench/backup-vs-pgdump.ts [--scale 48] [--runs 3] [--level 3] [--ts]   (scale 48 ≈ 1 GB database)
// --level sets the job's zstd level (the baseline stays at -3), to weigh a different default level.
// It measures the bundled CLI that ships (build/build-shell.ts → dist/cli/main.js), started with the V8 flags every
// launcher uses (src-main/core/util/node-flags.ts); --ts runs the sources.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { startPostgres } from '../src-main/core/demo/throwaway-postgres.ts';
import { samplePlantSql } from '../src-main/core/demo/sample-plant.ts';
import { NODE_FLAGS } from '../src-main/core/util/node-flags.ts';

const arg = (name: string, def: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def; };
const scale = arg('scale', 48);
const runs = arg('runs', 3);
const level = arg('level', 3);
const root = path.resolve(import.meta.dirname, '..');
const useSources = process.argv.includes('--ts');
if (!useSources) execFileSync(process.execPath, [path.join(root, 'build/build-shell.ts')], { stdio: 'ignore' });
const cli = path.join(root, useSources ? 'src-main/cli/main.ts' : 'dist/cli/main.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-bench-'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
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
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; peakRssMb: number; busy: number }> {
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

const pg = await startPostgres();
try {
  console.log(`generating the plant database at scale ${scale} …`);
  await pg.createDatabase('plant');
  await pg.query('plant', samplePlantSql(scale));
  // As a database in service: hint bits set and statistics current, so no run pays for the load that made it.
  await pg.query('plant', 'VACUUM (FREEZE, ANALYZE)');
  const [size] = await pg.query<{ s: string }>('plant', "SELECT pg_size_pretty(pg_database_size('plant')) AS s");
  console.log(`database size: ${size!.s}`);

  const home = path.join(work, 'home');
  const env = { ...process.env, PW: pg.password };
  const keyFile = path.join(work, 'key.txt');
  execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
  const recipient = /public key: (age1\w+)/.exec(fs.readFileSync(keyFile, 'utf8'))![1]!;
  const target = path.join(work, 'target');
  fs.mkdirSync(target);
  const lb = (args: string[]) => execFileSync(process.execPath, [cli, '--home', home, ...args], { env, stdio: 'ignore' });
  lb(['source', 'add', 'pg', '--kind', 'postgres', '--host', pg.host, '--port', String(pg.port), '--user', pg.user, '--password-env', 'PW']);
  lb(['target', 'add', 'disk', '--kind', 'local', '--path', target]);
  lb(['job', 'add', 'bench', '--source', 'pg', '--database', 'plant', '--target', 'disk', '--encrypt', 'recipients', '--recipient', recipient, '--compression-level', String(level)]);

  const pgDump = path.join(pg.binDir, 'pg_dump');
  const baseline = `PGPASSWORD="$PW" ${pgDump} -h ${pg.host} -p ${pg.port} -U ${pg.user} -Fc -Z0 plant | zstd -3 -T2 -q > ${path.join(work, 'baseline.dump.zst')}`;
  // pg_dump alone to /dev/null: the floor no pipeline that reads its output can go under.
  const floor = `PGPASSWORD="$PW" ${pgDump} -h ${pg.host} -p ${pg.port} -U ${pg.user} -Fc -Z0 plant > /dev/null`;
  // The work a backup set is made of, done by standard tools: SHA-256 of the raw dump, zstd, age to the same
  // recipient, SHA-256 of what is stored, roles through pg_dumpall beside it, row counts of the largest tables,
  // and the stored file read back and hashed once written. It tells how much of the gap to the baseline is
  // that work, and how much is Lifeboat's own. The hashes are openssl's, which uses the CPU's SHA instructions
  // as Node does (coreutils' sha256sum does not, and is three times slower).
  const conn = `-h ${pg.host} -p ${pg.port} -U ${pg.user}`;
  const out = path.join(work, 'same-work');
  const counts = "SET jit = off; SET max_parallel_workers_per_gather = 0; SELECT count(*) FROM historian.tag_values; SELECT count(*) FROM mes.batches; SELECT count(*) FROM public.alarms; SELECT count(*) FROM mes.production_orders";
  const sameWork = `export PGPASSWORD="$PW"; ` +
    `( ${path.join(pg.binDir, 'pg_dumpall')} ${conn} --globals-only --no-role-passwords | zstd -3 -q | age -r ${recipient} > ${out}.globals ) & ` +
    `( ${path.join(pg.binDir, 'psql')} ${conn} -d plant -Atqc "${counts}" > /dev/null ) & ` +
    `${pgDump} ${conn} -Fc -Z0 plant | tee >(openssl dgst -sha256 -r > ${out}.raw.sha) | zstd -3 -T2 -q | age -r ${recipient} | tee >(openssl dgst -sha256 -r > ${out}.sha) > ${out}.dump && ` +
    `wait && sync ${out}.dump && openssl dgst -sha256 -r ${out}.dump > /dev/null`;
  const ratios: number[] = [];
  const sameRatios: number[] = [];
  const rss: number[] = [];
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  console.log(`${os.availableParallelism()} cores; zstd program: ${execFileSync('sh', ['-c', 'command -v zstd || echo none'], { encoding: 'utf8' }).trim()}`);
  for (let i = 0; i < runs; i++) {
    const alone = await timed('sh', ['-c', floor], env);
    const base = await timed('sh', ['-c', baseline], env);
    const same = await timed('bash', ['-c', sameWork], env);
    const ours = await timed(process.execPath, [...NODE_FLAGS, cli, '--home', home, 'job', 'run', 'bench'], env);
    ratios.push(ours.ms / base.ms);
    sameRatios.push(ours.ms / same.ms);
    rss.push(ours.peakRssMb);
    console.log(`run ${i + 1}: lifeboat ${(ours.ms / 1000).toFixed(1)} s (peak RSS ${ours.peakRssMb.toFixed(0)} MB, cores busy ${pct(ours.busy)}), ` +
      `pg_dump|zstd ${(base.ms / 1000).toFixed(1)} s (cores busy ${pct(base.busy)}), the same work by standard tools ${(same.ms / 1000).toFixed(1)} s (cores busy ${pct(same.busy)}), ` +
      `pg_dump alone ${(alone.ms / 1000).toFixed(1)} s, ratio ${(ours.ms / base.ms).toFixed(2)}`);
  }
  console.log(`median ratio ${median(ratios).toFixed(2)} (goal ≤ 1.0); peak RSS max ${Math.max(...rss).toFixed(0)} MB (goal ≤ 150 MB)`);
  console.log(`median ratio to the same work done by standard tools: ${median(sameRatios).toFixed(2)}`);
  const stored = (fs.readdirSync(target, { recursive: true }) as string[]).filter((f) => f.endsWith('data.dump.zst.age')).map((f) => fs.statSync(path.join(target, f)).size);
  console.log(`stored dump (zstd -${level}, age): ${(Math.max(...stored) / 1e6).toFixed(1)} MB; baseline file (zstd -3): ${(fs.statSync(path.join(work, 'baseline.dump.zst')).size / 1e6).toFixed(1)} MB`);
} finally {
  await pg.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
