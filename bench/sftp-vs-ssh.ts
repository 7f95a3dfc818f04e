// Benchmark (issue 3), alternating runs on 127.0.0.1 against a real OpenSSH sshd (run as root):
//  1. backup: `lifeboat job run` (pg_dump -Fc -Z0, zstd, SHA-256, SFTP target, L1 verify) against
//     `pg_dump -Fc -Z0 | zstd -3 -T2 | ssh host 'cat > file'`; goal median ratio ≤ 1.0. Also timed: the same
//     work as a backup set done by standard tools (bash, openssl, ssh, psql), for comparison.
//  2. verification of the stored artifact: remote hash (openssl or sha256sum over exec) against download-and-hash;
//     goal ≥ 5× faster.
//
//   node bench/sftp-vs-ssh.ts [--scale 20] [--runs 3] [--ts]
// Like bench/backup-vs-pgdump.ts it measures the bundled CLI that ships (--ts runs the sources instead).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startPostgres } from '../src-main/core/demo/throwaway-postgres.ts';
import { startSshd } from '../test/support/sshd-server.ts';
import { sftpDriver } from '../src-main/core/targets/sftp/driver.ts';
import { NODE_FLAGS } from '../src-main/core/util/node-flags.ts';
import type { SftpTarget } from '../src-main/core/targets/sftp/sftp-target.ts';
import { benchCli, describeBreakdowns, generatePlant, lastRunBreakdown, median, numberArg, pgDumpCommand, sameWorkCommand, timed, type RunBreakdown } from './bench-support.ts';

const scale = numberArg('scale', 20);
const runs = numberArg('runs', 3);
const cli = benchCli();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-bench-sftp-'));

const pg = await startPostgres();
const sshd = await startSshd();
try {
  await generatePlant(pg, scale);
  const remote = path.join(sshd.dataDir, 'bench');
  fs.mkdirSync(remote);
  execFileSync('chown', [`${sshd.user}:${sshd.user}`, remote]);

  const home = path.join(work, 'home');
  const env = { ...process.env, PW: pg.password };
  const lb = (args: string[]) => execFileSync(process.execPath, [cli, '--home', home, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  lb(['source', 'add', 'pg', '--kind', 'postgres', '--host', pg.host, '--port', String(pg.port), '--user', pg.user, '--password-env', 'PW']);
  lb(['target', 'add', 'nas', '--kind', 'sftp', '--path', remote, '--option', 'host=127.0.0.1', '--option', `port=${sshd.port}`, '--option', `username=${sshd.user}`,
    '--option', `privateKeyFile=${sshd.keys.ed25519}`, '--option', `hostKeySha256=${sshd.hostKeySha256()}`]);
  lb(['job', 'add', 'bench', '--source', 'pg', '--database', 'plant', '--target', 'nas']);

  const ssh = `ssh -i ${sshd.keys.ed25519} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p ${sshd.port} ${sshd.user}@127.0.0.1`;
  const baseline = `PGPASSWORD="$PW" ${pgDumpCommand(pg)} | zstd -3 -T2 -q | ${ssh} 'cat > ${remote}/baseline.dump.zst'`;
  // The work a backup set is made of, done by standard tools (see sameWorkCommand): uploaded under a temporary
  // name renamed once complete, then the stored copy hashed on the server, as Lifeboat's remote-hash check does.
  const file = (name: string) => `${remote}/same-work.${name}`;
  const sameWork = sameWorkCommand(pg, {
    workFile: path.join(work, 'same-work'), seal: '',
    store: (name) => `| ${ssh} 'cat > ${file(name)}.partial && mv ${file(name)}.partial ${file(name)}'`,
    check: `${ssh} 'openssl dgst -sha256 -r < ${file('dump')}' > /dev/null`,
  });
  const ratios: number[] = [];
  const sameRatios: number[] = [];
  const breakdowns: RunBreakdown[] = [];
  for (let i = 0; i < runs; i++) {
    const base = (await timed('sh', ['-c', baseline], env)).ms;
    const same = (await timed('bash', ['-c', sameWork], env)).ms;
    const ours = (await timed(process.execPath, [...NODE_FLAGS, cli, '--home', home, 'job', 'run', 'bench'], env)).ms;
    breakdowns.push(lastRunBreakdown(cli, home, env, ours, NODE_FLAGS));
    ratios.push(ours / base);
    sameRatios.push(ours / same);
    console.log(`backup run ${i + 1}: lifeboat ${(ours / 1000).toFixed(1)} s, pg_dump|zstd|ssh ${(base / 1000).toFixed(1)} s, ` +
      `the same work by standard tools ${(same / 1000).toFixed(1)} s, ratio ${(ours / base).toFixed(2)}`);
  }
  console.log(`backup: median ratio ${median(ratios).toFixed(2)} (goal ≤ 1.0); to the same work done by standard tools ${median(sameRatios).toFixed(2)}`);
  console.log(describeBreakdowns(breakdowns));

  // Verification of the largest stored artifact of the last set.
  const stored = (fs.readdirSync(remote, { recursive: true }) as string[]).filter((n) => !n.endsWith('baseline.dump.zst') && !n.startsWith('same-work'))
    .map((n) => ({ n, size: fs.statSync(path.join(remote, n)).isFile() ? fs.statSync(path.join(remote, n)).size : 0 })).sort((a, b) => b.size - a.size)[0]!;
  const config = sftpDriver.configSchema.parse({ host: '127.0.0.1', port: sshd.port, username: sshd.user, path: remote, privateKeyFile: sshd.keys.ed25519, hostKeySha256: sshd.hostKeySha256() });
  const t = (await sftpDriver.open(config, { secret: null, home })) as SftpTarget;
  const speedups: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    let rx = t.transferStats().received;
    const remoteHash = await t.hash!(stored.n);
    const hashMs = performance.now() - t0;
    const hashRx = t.transferStats().received - rx;
    t0 = performance.now();
    rx = t.transferStats().received;
    const h = createHash('sha256');
    for await (const c of await t.get(stored.n)) h.update(c as Buffer);
    const dlMs = performance.now() - t0;
    const dlRx = t.transferStats().received - rx;
    if (h.digest('hex') !== remoteHash) throw new Error('remote hash and downloaded hash differ');
    speedups.push(dlMs / hashMs);
    console.log(`verify run ${i + 1} (${(stored.size / 1e6).toFixed(0)} MB): remote hash ${hashMs.toFixed(0)} ms (${hashRx} bytes received), download-and-hash ${dlMs.toFixed(0)} ms (${(dlRx / 1e6).toFixed(0)} MB received), ${(dlMs / hashMs).toFixed(1)}×`);
  }
  await t.close();
  console.log(`verify: median speed-up ${median(speedups).toFixed(1)}× (goal ≥ 5×)`);
} finally {
  await sshd.stop();
  await pg.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
