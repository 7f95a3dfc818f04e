import type { Row } from './run-statement.ts';

/** What Lifeboat needs to know about the instance, read once per engine. */
export interface ServerFacts {
  version: string;
  versionMajor: number;
  edition: string;
  engineEdition: number;
  isExpress: boolean;
  /** Native backup compression: Enterprise, Standard and Developer (EngineEdition 2 or 3), not Express or Web. */
  nativeCompression: boolean;
  serverName: string;
  dataPath: string | null;
  logPath: string | null;
  utcOffsetMinutes: number;
}

export function serverFacts(r: Row): ServerFacts {
  const version = String(r.product_version ?? '');
  const edition = String(r.edition ?? '');
  const engineEdition = Number(r.engine_edition ?? 0);
  return {
    version,
    versionMajor: Number(/^(\d+)/.exec(version)?.[1] ?? 0),
    edition,
    engineEdition,
    isExpress: engineEdition === 4 || /express/i.test(edition),
    nativeCompression: (engineEdition === 2 || engineEdition === 3 || engineEdition === 8) && !/express|web/i.test(edition),
    serverName: String(r.server_name ?? ''),
    dataPath: r.default_data_path ? String(r.default_data_path) : null,
    logPath: r.default_log_path ? String(r.default_log_path) : null,
    utcOffsetMinutes: Number(r.utc_offset_minutes ?? 0),
  };
}
