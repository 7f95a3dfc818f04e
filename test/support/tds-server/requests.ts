// Parsers for the client messages a TDS server receives: LOGIN7, SQL_BATCH and RPC (sp_executesql).

export interface Login7 {
  user: string;
  password: string;
  database: string;
  appName: string;
  /** Integrated (SSPI/NTLM) login: the client sent a security blob instead of a user and password. */
  integrated: boolean;
  sspi: Buffer;
  tdsVersion: number;
}

function str(data: Buffer, at: number): string {
  const off = data.readUInt16LE(at);
  const len = data.readUInt16LE(at + 2);
  return data.subarray(off, off + len * 2).toString('ucs2');
}

export function parseLogin7(data: Buffer): Login7 {
  const pwOff = data.readUInt16LE(44);
  const pwLen = data.readUInt16LE(46);
  const pw = Buffer.from(data.subarray(pwOff, pwOff + pwLen * 2));
  for (let i = 0; i < pw.length; i++) {
    const b = pw[i]! ^ 0xa5;
    pw[i] = ((b & 0x0f) << 4) | (b >> 4);
  }
  const sspiOff = data.readUInt16LE(78);
  const sspiLen = data.readUInt16LE(80);
  return {
    tdsVersion: data.readUInt32LE(4),
    user: str(data, 40),
    password: pw.toString('ucs2'),
    appName: str(data, 48),
    database: str(data, 68),
    integrated: (data[25]! & 0x80) !== 0,
    sspi: Buffer.from(data.subarray(sspiOff, sspiOff + sspiLen)),
  };
}

/** TDS 7.2+ requests start with ALL_HEADERS (a total length that includes itself). */
function skipAllHeaders(data: Buffer): number {
  return data.readUInt32LE(0);
}

export function parseSqlBatch(data: Buffer): string {
  return data.subarray(skipAllHeaders(data)).toString('ucs2');
}

export type ParamValue = string | number | boolean | bigint | null;

export interface RpcCall {
  procedure: string;
  /** For sp_executesql: the statement text and its parameters by name (without '@'). */
  sql: string;
  params: Record<string, ParamValue>;
}

const SPECIAL_PROCS: Record<number, string> = { 10: 'sp_executesql', 11: 'sp_prepare', 13: 'sp_execute' };

export function parseRpc(data: Buffer): RpcCall {
  let o = skipAllHeaders(data);
  let procedure: string;
  const nameLen = data.readUInt16LE(o); o += 2;
  if (nameLen === 0xffff) {
    const id = data.readUInt16LE(o); o += 2;
    procedure = SPECIAL_PROCS[id] ?? `proc#${id}`;
  } else {
    procedure = data.subarray(o, o + nameLen * 2).toString('ucs2'); o += nameLen * 2;
  }
  o += 2; // option flags
  const values: { name: string; value: ParamValue }[] = [];
  while (o < data.length) {
    const nl = data[o]!; o += 1;
    const name = data.subarray(o, o + nl * 2).toString('ucs2'); o += nl * 2;
    o += 1; // status flags
    const type = data[o]!; o += 1;
    let value: ParamValue;
    switch (type) {
      case 0x26: { // INTN
        o += 1;
        const len = data[o]!; o += 1;
        value = len === 0 ? null : len === 1 ? data.readInt8(o) : len === 2 ? data.readInt16LE(o) : len === 4 ? data.readInt32LE(o) : data.readBigInt64LE(o);
        o += len;
        break;
      }
      case 0x68: { // BITN
        o += 1;
        const len = data[o]!; o += 1;
        value = len === 0 ? null : data[o] !== 0;
        o += len;
        break;
      }
      case 0xa7: case 0xaf: { // VARCHAR / CHAR (single-byte text)
        o += 2 + 5; // max length, collation
        const len = data.readUInt16LE(o); o += 2;
        if (len === 0xffff) value = null;
        else { value = data.subarray(o, o + len).toString('latin1'); o += len; }
        break;
      }
      case 0xe7: case 0xef: { // NVARCHAR / NCHAR
        const max = data.readUInt16LE(o); o += 2 + 5; // max length, collation
        if (max === 0xffff) {
          const total = data.readBigUInt64LE(o); o += 8;
          if (total === 0xffffffffffffffffn) { value = null; break; }
          const chunks: Buffer[] = [];
          for (;;) {
            const cl = data.readUInt32LE(o); o += 4;
            if (cl === 0) break;
            chunks.push(data.subarray(o, o + cl)); o += cl;
          }
          value = Buffer.concat(chunks).toString('ucs2');
        } else {
          const len = data.readUInt16LE(o); o += 2;
          if (len === 0xffff) value = null;
          else { value = data.subarray(o, o + len).toString('ucs2'); o += len; }
        }
        break;
      }
      default:
        throw new Error(`the TDS test server does not parse RPC parameter type 0x${type.toString(16)} (${name})`);
    }
    values.push({ name, value });
  }
  if (procedure !== 'sp_executesql') return { procedure, sql: '', params: {} };
  const [stmt, , ...rest] = values;
  const params: Record<string, ParamValue> = {};
  for (const p of rest) params[p.name.replace(/^@/, '')] = p.value;
  return { procedure, sql: String(stmt?.value ?? ''), params };
}
