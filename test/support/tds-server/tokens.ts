// TDS 7.4 token encoders (MS-TDS 2.2.7): just what a SQL Server sends for logins, result sets, messages
// and completions. Little-endian unless noted; text is UCS-2.

export type ColumnType = 'int' | 'bigint' | 'bit' | 'nvarchar' | 'datetime2' | 'numeric';
export interface Column { name: string; type: ColumnType }
export type Cell = string | number | bigint | boolean | Date | null;

const ucs2 = (s: string) => Buffer.from(s, 'ucs2');

function bVarChar(s: string): Buffer {
  const b = ucs2(s);
  return Buffer.concat([Buffer.from([s.length]), b]);
}

function usVarChar(s: string): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16LE(s.length);
  return Buffer.concat([len, ucs2(s)]);
}

function u16(n: number): Buffer { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; }
function u32(n: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; }

function withLength(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), u16(body.length), body]);
}

export function loginAck(progName: string, version: [number, number, number]): Buffer {
  const tds = Buffer.alloc(4);
  tds.writeUInt32BE(0x74000004); // TDS 7.4, read big-endian by clients
  const ver = Buffer.from([version[0], version[1], (version[2] >> 8) & 0xff, version[2] & 0xff]);
  return withLength(0xad, Buffer.concat([Buffer.from([1]), tds, bVarChar(progName), ver]));
}

/** ENVCHANGE 7: the session's SQL collation (clients need it to send varchar parameters). */
export function collationChange(): Buffer {
  return withLength(0xe3, Buffer.concat([Buffer.from([7, COLLATION_BYTES.length]), COLLATION_BYTES, Buffer.from([0])]));
}

const COLLATION_BYTES = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]); // Latin1_General_CI_AS

export function envChange(kind: number, next: string, prev: string): Buffer {
  return withLength(0xe3, Buffer.concat([Buffer.from([kind]), bVarChar(next), bVarChar(prev)]));
}

/** INFO (0xAB) or ERROR (0xAA). */
export function message(isError: boolean, m: { number: number; state?: number; class: number; message: string; server: string; line?: number }): Buffer {
  const body = Buffer.concat([
    u32(m.number), Buffer.from([m.state ?? 1, m.class]), usVarChar(m.message), bVarChar(m.server), bVarChar(''), u32(m.line ?? 1),
  ]);
  return withLength(isError ? 0xaa : 0xab, body);
}

export const DONE_MORE = 0x1;
export const DONE_ERROR = 0x2;
export const DONE_COUNT = 0x10;
export const DONE_ATTN = 0x20;

/** DONE (0xFD), DONEPROC (0xFE), DONEINPROC (0xFF). */
export function done(status: number, rowCount = 0, token: 0xfd | 0xfe | 0xff = 0xfd, curCmd = 0xc1): Buffer {
  const b = Buffer.alloc(13);
  b.writeUInt8(token, 0);
  b.writeUInt16LE(status, 1);
  b.writeUInt16LE(curCmd, 3);
  b.writeBigUInt64LE(BigInt(rowCount), 5);
  return b;
}

export function returnStatus(value: number): Buffer {
  const b = Buffer.alloc(5);
  b.writeUInt8(0x79, 0);
  b.writeInt32LE(value, 1);
  return b;
}

const COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]); // Latin1_General_CI_AS

function typeInfo(t: ColumnType): Buffer {
  switch (t) {
    case 'int': return Buffer.from([0x26, 4]);
    case 'bigint': return Buffer.from([0x26, 8]);
    case 'bit': return Buffer.from([0x68, 1]);
    case 'nvarchar': return Buffer.concat([Buffer.from([0xe7]), u16(8000), COLLATION]);
    case 'datetime2': return Buffer.from([0x2a, 7]);
    case 'numeric': return Buffer.from([0x6c, 17, 25, 0]);
  }
}

export function colMetadata(cols: ReadonlyArray<Column>): Buffer {
  const parts: Buffer[] = [Buffer.from([0x81]), u16(cols.length)];
  for (const c of cols) {
    // UserType 0, flags: nullable (0x01) | updateable-unknown (0x08)
    parts.push(u32(0), u16(0x0009), typeInfo(c.type), bVarChar(c.name));
  }
  return Buffer.concat(parts);
}

const DAY_MS = 86_400_000;
const EPOCH_DAYS = 719162; // days from 0001-01-01 to 1970-01-01

function cellBytes(t: ColumnType, v: Cell): Buffer {
  if (v === null || v === undefined) {
    return t === 'nvarchar' ? Buffer.from([0xff, 0xff]) : Buffer.from([0]);
  }
  switch (t) {
    case 'int': { const b = Buffer.alloc(5); b[0] = 4; b.writeInt32LE(Number(v), 1); return b; }
    case 'bigint': { const b = Buffer.alloc(9); b[0] = 8; b.writeBigInt64LE(BigInt(v as number | bigint | string), 1); return b; }
    case 'bit': return Buffer.from([1, v ? 1 : 0]);
    case 'nvarchar': { const s = ucs2(String(v)); return Buffer.concat([u16(s.length), s]); }
    case 'numeric': {
      const n = BigInt(v as number | bigint | string);
      const b = Buffer.alloc(18);
      b[0] = 17;
      b[1] = n < 0n ? 0 : 1;
      const abs = n < 0n ? -n : n;
      b.writeBigUInt64LE(abs & 0xffffffffffffffffn, 2);
      b.writeBigUInt64LE(abs >> 64n, 10);
      return b;
    }
    case 'datetime2': {
      const ms = (v instanceof Date ? v : new Date(String(v))).getTime();
      const days = Math.floor(ms / DAY_MS);
      const ticks = BigInt(ms - days * DAY_MS) * 10_000n; // 100 ns units at scale 7
      const b = Buffer.alloc(9);
      b[0] = 8;
      b.writeUIntLE(Number(ticks & 0xffffffffffn), 1, 5);
      b.writeUIntLE(days + EPOCH_DAYS, 6, 3);
      return b;
    }
  }
}

export function row(cols: ReadonlyArray<Column>, values: ReadonlyArray<Cell>): Buffer {
  return Buffer.concat([Buffer.from([0xd1]), ...cols.map((c, i) => cellBytes(c.type, values[i] ?? null))]);
}
