// SQL Server messages the model raises, with their real numbers and wording.
export interface SqlMessage { number: number; class: number; state?: number; message: string }

const OS: Record<number, string> = {
  2: 'The system cannot find the file specified.',
  3: 'The system cannot find the path specified.',
  5: 'Access is denied.',
};

export const msg = {
  syntax: (near: string): SqlMessage => ({ number: 102, class: 15, message: `Incorrect syntax near '${near}'.` }),
  raw: (text: string): SqlMessage => ({ number: 102, class: 15, message: text }),
  invalidObject: (name: string): SqlMessage => ({ number: 208, class: 16, message: `Invalid object name '${name}'.` }),
  loginFailed: (user: string): SqlMessage => ({ number: 18456, class: 14, message: `Login failed for user '${user}'.` }),
  untrustedDomain: (): SqlMessage => ({ number: 18452, class: 14, message: 'Login failed. The login is from an untrusted domain and cannot be used with Integrated authentication.' }),
  cannotOpenDb: (db: string): SqlMessage => ({ number: 4060, class: 11, message: `Cannot open database "${db}" requested by the login. The login failed.` }),
  noDatabase: (db: string): SqlMessage => ({ number: 911, class: 16, message: `Database '${db}' does not exist. Make sure that the name is entered correctly.` }),
  device: (device: string, os: 2 | 3 | 5, verb: string): SqlMessage[] => [
    { number: 3201, class: 16, message: `Cannot open backup device '${device}'. Operating system error ${os}(${OS[os]}).` },
    terminated(verb),
  ],
  simpleLog: (db: string): SqlMessage[] => [
    { number: 4208, class: 16, message: `The statement BACKUP LOG is not allowed while the recovery model is SIMPLE. Use BACKUP DATABASE or change the recovery model using ALTER DATABASE.` },
    terminated('BACKUP LOG', db),
  ],
  noCurrentBackup: (db: string): SqlMessage[] => [
    { number: 4214, class: 16, message: `BACKUP LOG cannot be performed because there is no current database backup.` },
    terminated('BACKUP LOG', db),
  ],
  noDiffBase: (db: string): SqlMessage[] => [
    { number: 3035, class: 16, message: `Cannot perform a differential backup for database "${db}", because a current database backup does not exist. Perform a full database backup by reissuing BACKUP DATABASE, omitting the WITH DIFFERENTIAL option.` },
    terminated('BACKUP DATABASE'),
  ],
  compression: (editionName: string): SqlMessage[] => [
    { number: 1844, class: 16, message: `BACKUP DATABASE WITH COMPRESSION is not supported on ${editionName}.` },
    terminated('BACKUP DATABASE'),
  ],
  notABackup: (device: string): SqlMessage[] => [
    { number: 3241, class: 16, message: `The media family on device '${device}' is incorrectly formed. SQL Server cannot process this media family.` },
    terminated('RESTORE'),
  ],
  damaged: (verb: string): SqlMessage[] => [
    { number: 3189, class: 16, message: 'Damage to the backup set was detected.' },
    terminated(verb),
  ],
  fileInUse: (physical: string, owner: string, logical: string): SqlMessage[] => [
    { number: 1834, class: 16, message: `The file '${physical}' cannot be overwritten.  It is being used by database '${owner}'.` },
    { number: 3156, class: 16, message: `File '${logical}' cannot be restored to '${physical}'. Use WITH MOVE to identify a valid location for the file.` },
    { number: 3119, class: 16, message: 'Problems were identified while planning for the RESTORE statement. Previous messages provide details.' },
    terminated('RESTORE DATABASE'),
  ],
  notPartOf: (logical: string, db: string): SqlMessage[] => [
    { number: 3234, class: 16, message: `Logical file '${logical}' is not part of database '${db}'. Use RESTORE FILELISTONLY to list the logical file names.` },
    terminated('RESTORE DATABASE'),
  ],
  tailNotBacked: (db: string): SqlMessage[] => [
    { number: 3159, class: 16, message: `The tail of the log for the database "${db}" has not been backed up. Use BACKUP LOG WITH NORECOVERY to backup the log if it contains work you do not want to lose. Use the WITH REPLACE or WITH STOPAT clause of the RESTORE statement to just overwrite the contents of the log.` },
    terminated('RESTORE DATABASE'),
  ],
  otherDatabase: (db: string): SqlMessage[] => [
    { number: 3154, class: 16, message: `The backup set holds a backup of a database other than the existing '${db}' database.` },
    terminated('RESTORE DATABASE'),
  ],
  diffWrongState: (): SqlMessage[] => [
    { number: 3136, class: 16, message: 'This differential backup cannot be restored because the database has not been restored to the correct earlier state.' },
    terminated('RESTORE DATABASE'),
  ],
  notRestoring: (verb: string): SqlMessage[] => [
    { number: 3117, class: 16, message: 'The log or differential backup cannot be restored because no files are ready to rollforward.' },
    terminated(verb),
  ],
  logTooRecent: (first: bigint, need: bigint): SqlMessage[] => [
    { number: 4305, class: 16, message: `The log in this backup set begins at LSN ${first}, which is too recent to apply to the database. An earlier log backup that includes LSN ${need} can be restored.` },
    terminated('RESTORE LOG'),
  ],
  logTooEarly: (last: bigint, need: bigint): SqlMessage[] => [
    { number: 4326, class: 16, message: `The log in this backup set terminates at LSN ${last}, which is too early to apply to the database. A more recent log backup that includes LSN ${need} can be restored.` },
    terminated('RESTORE LOG'),
  ],
  cannotDrop: (db: string): SqlMessage => ({ number: 3701, class: 11, message: `Cannot drop the database '${db}', because it does not exist or you do not have permission.` }),
  dbccMissing: (db: string): SqlMessage => ({ number: 2520, class: 16, message: `Could not find database '${db}'. The database either does not exist, or was dropped before a statement tried to use it. Verify if the database exists by querying the sys.databases catalog view.` }),
};

function terminated(verb: string, _db?: string): SqlMessage {
  return { number: 3013, class: 16, message: `${verb} is terminating abnormally.` };
}
