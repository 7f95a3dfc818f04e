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
import { execFileSync } from 'node:child_process';
import { startPostgres } from '../src-main/core/demo/throwaway-postgres.ts';
import { NODE_FLAGS } from '../src-main/core/util/node-flags.ts';
import { benchCli, describeBreakdowns, generatePlant, lastRunBreakdown, median, numberArg, pgDumpCommand, sameWorkCommand, timed, type RunBreakdown } from './bench-support.ts';

const scale = numberArg('scale', 48);
const runs = numberArg('runs', 3);
const level = numberArg('level', 3);
const cli = benchCli();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-bench-'));

const pg = await startPostgres();
try {
  await generatePlant(pg, scale);

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

  const baseline = `PGPASSWORD="$PW" ${pgDumpCommand(pg)} | zstd -3 -T2 -q > ${path.join(work, 'baseline.dump.zst')}`;
  // pg_dump alone to /dev/null: the floor no pipeline that reads its output can go under.
  const floor = `PGPASSWORD="$PW" ${pgDumpCommand(pg)} > /dev/null`;
  // The work a backup set is made of, done by standard tools (see sameWorkCommand), encrypted to the same
  // recipient and read back once written: how much of the gap to the baseline is that work, and how much is
  // Lifeboat's own.
  const out = path.join(work, 'same-work');
  const sameWork = sameWorkCommand(pg, {
    workFile: out, store: (name) => `> ${out}.${name}`, seal: `age -r ${recipient}`, check: `sync ${out}.dump && openssl dgst -sha256 -r ${out}.dump > /dev/null`,
  });
  const ratios: number[] = [];
  const sameRatios: number[] = [];
  const rss: number[] = [];
  const breakdowns: RunBreakdown[] = [];
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  console.log(`${os.availableParallelism()} cores; zstd program: ${execFileSync('sh', ['-c', 'command -v zstd || echo none'], { encoding: 'utf8' }).trim()}`);
  for (let i = 0; i < runs; i++) {
    const alone = await timed('sh', ['-c', floor], env);
    const base = await timed('sh', ['-c', baseline], env);
    const same = await timed('bash', ['-c', sameWork], env);
    const ours = await timed(process.execPath, [...NODE_FLAGS, cli, '--home', home, 'job', 'run', 'bench'], env);
    breakdowns.push(lastRunBreakdown(cli, home, env, ours.ms, NODE_FLAGS));
    ratios.push(ours.ms / base.ms);
    sameRatios.push(ours.ms / same.ms);
    rss.push(ours.peakRssMb);
    console.log(`run ${i + 1}: lifeboat ${(ours.ms / 1000).toFixed(1)} s (peak RSS ${ours.peakRssMb.toFixed(0)} MB, cores busy ${pct(ours.busy)}), ` +
      `pg_dump|zstd ${(base.ms / 1000).toFixed(1)} s (cores busy ${pct(base.busy)}), the same work by standard tools ${(same.ms / 1000).toFixed(1)} s (cores busy ${pct(same.busy)}), ` +
      `pg_dump alone ${(alone.ms / 1000).toFixed(1)} s, ratio ${(ours.ms / base.ms).toFixed(2)}`);
  }
  console.log(`median ratio ${median(ratios).toFixed(2)} (goal ≤ 1.0); peak RSS max ${Math.max(...rss).toFixed(0)} MB (goal ≤ 150 MB)`);
  console.log(`median ratio to the same work done by standard tools: ${median(sameRatios).toFixed(2)}`);
  console.log(describeBreakdowns(breakdowns));
  const stored = (fs.readdirSync(target, { recursive: true }) as string[]).filter((f) => f.endsWith('data.dump.zst.age')).map((f) => fs.statSync(path.join(target, f)).size);
  console.log(`stored dump (zstd -${level}, age): ${(Math.max(...stored) / 1e6).toFixed(1)} MB; baseline file (zstd -3): ${(fs.statSync(path.join(work, 'baseline.dump.zst')).size / 1e6).toFixed(1)} MB`);
} finally {
  await pg.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
