import type { SetRecord } from '../catalog/sets-repo.ts';

export interface ManualStep { title: string; commands: string[] }

/** Removes the suffixes the store pipeline added: data.dump.zst.age → data.dump. */
function plainName(name: string): string {
  return name.replace(/\.age$/, '').replace(/\.zst$/, '');
}

function sqlString(s: string): string {
  return s.replace(/'/g, "''");
}

function bracket(s: string): string {
  return `[${s.replace(/]/g, ']]')}]`;
}

/**
 * The restore of one set without Lifeboat, with the tools a DBA has at hand: sha256sum, age, zstd, and
 * pg_restore or sqlcmd. Written from the set's own artifact list so the file names are exactly those on the
 * disk. `sets` is the chain in restore order (a full, then its diff and logs for SQL Server).
 */
export function manualRestoreSteps(sets: SetRecord[], source: { host: string | null; port: number | null; user: string | null }): ManualStep[] {
  const first = sets[0];
  if (!first) return [];
  const key = first.encryption === 'age-x25519' ? '-i <identity file: AGE-SECRET-KEY-1… from the key custodian> ' : '';
  const steps: ManualStep[] = [{
    title: 'Copy each set folder from the copy (NAS or USB disk) to a work folder on a clean machine, then check every file against the SHA-256 printed here',
    commands: sets.flatMap((s) => s.artifacts.map((a) => `sha256sum ${a.name}    # must print ${a.sha256}`)),
  }];
  const decrypt: string[] = [];
  for (const s of sets) {
    for (const a of s.artifacts) {
      let cur = a.name;
      if (a.encryption === 'age') {
        const out = cur.replace(/\.age$/, '');
        decrypt.push(`age -d ${key}-o ${out} ${cur}${s.encryption === 'age-scrypt' ? '    # age asks for the passphrase' : ''}`);
        cur = out;
      }
      if (a.compression === 'zstd') decrypt.push(`zstd -d ${cur} -o ${plainName(cur)}`);
    }
  }
  if (decrypt.length) steps.push({ title: 'Decrypt (age) and decompress (zstd)', commands: decrypt });

  const db = first.database;
  if (first.engine === 'postgres') {
    const conn = `-h ${source.host ?? '<host>'} -p ${source.port ?? 5432} -U ${source.user ?? '<user>'}`;
    const globals = first.artifacts.find((a) => a.role === 'globals');
    const dump = first.artifacts.find((a) => a.role === 'dump') ?? first.artifacts[0]!;
    const cmds: string[] = [];
    if (globals) cmds.push(`psql ${conn} -d postgres -f ${plainName(globals.name)}    # roles and tablespaces first; errors for roles that exist are harmless`);
    cmds.push(`createdb ${conn} ${db}_restored`);
    cmds.push(`pg_restore ${conn} -d ${db}_restored --exit-on-error ${plainName(dump.name)}`);
    cmds.push(`# check, then rename: psql ${conn} -d postgres -c 'ALTER DATABASE "${db}" RENAME TO "${db}_old"; ALTER DATABASE "${db}_restored" RENAME TO "${db}"'`);
    steps.push({ title: 'Restore with pg_restore into a new database (PostgreSQL client tools of the server\'s major version or newer)', commands: cmds });
  } else if (first.engine === 'mssql') {
    const cmds: string[] = [];
    const files = sets.flatMap((s) => s.artifacts.map((a) => ({ set: s, name: plainName(a.name), role: a.role })));
    files.forEach((f, i) => {
      const last = i === files.length - 1;
      const disk = `N'C:\\LifeboatRestore\\${sqlString(f.name)}'`;
      cmds.push(`sqlcmd -S ${source.host ?? '<server>'} -E -b -Q "RESTORE VERIFYONLY FROM DISK = ${disk} WITH CHECKSUM"`);
      const kind = f.role === 'log' ? 'LOG' : 'DATABASE';
      cmds.push(`sqlcmd -S ${source.host ?? '<server>'} -E -b -Q "RESTORE ${kind} ${bracket(db)} FROM DISK = ${disk} WITH CHECKSUM, ${last ? 'RECOVERY' : 'NORECOVERY'}${i === 0 ? ', REPLACE' : ''}"`);
    });
    cmds.push('# logins: map orphaned users with ALTER USER ... WITH LOGIN = ...; TDE: restore the certificate before the database');
    steps.push({ title: 'Restore with sqlcmd (full, then differential, then logs; only the last WITH RECOVERY). Use -U/-P instead of -E for SQL logins; add MOVE to put files elsewhere', commands: cmds });
  } else {
    steps.push({ title: `Restore with the ${first.engine} tools`, commands: [`# engine ${first.engine}: restore ${first.artifacts.map((a) => plainName(a.name)).join(', ')} with its native tool`] });
  }
  return steps;
}
