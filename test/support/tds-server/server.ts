import net from 'node:net';
import { ServerModel, type ServerSpec } from './model.ts';
import { parseLogin7, parseRpc, parseSqlBatch, type ParamValue } from './requests.ts';
import { execute, type Out } from './executor.ts';
import { msg } from './errors.ts';
import * as tok from './tokens.ts';

/** One request as the server received it: the exact T-SQL text and, for RPC, the parameter values. */
export interface RecordedStatement {
  kind: 'batch' | 'rpc';
  sql: string;
  params: Record<string, ParamValue>;
  user: string;
}

export interface RecordedLogin { user: string; database: string; appName: string; integrated: boolean; sspi: Buffer; ok: boolean }

export interface TdsTestServer {
  host: string;
  port: number;
  model: ServerModel;
  /** Every request received, in order, including the driver's session setup and health checks. */
  statements: RecordedStatement[];
  /** The statements a test cares about: without tedious' SET batch and the pool's SELECT 1. */
  userStatements(): RecordedStatement[];
  logins: RecordedLogin[];
  /** Connections that opened with a TLS ClientHello (TDS 8 'strict'): refused, this server speaks plaintext only. */
  tlsAttempts: number;
  attentions: number;
  stop(): Promise<void>;
}

const PKT = { SQL_BATCH: 0x01, RPC: 0x03, REPLY: 0x04, ATTENTION: 0x06, LOGIN7: 0x10, PRELOGIN: 0x12 } as const;
const MAX_PACKET = 4096;

/**
 * A TDS 7.4 server in Node that the real mssql/tedious stack talks to (STACK-NOTES "SQL Server"): PRELOGIN
 * answered with encryption not supported, LOGIN7 checked against the model's logins, SQL batches and
 * sp_executesql RPCs executed by the model, ATTENTION acknowledged in its own message.
 */
export async function startTdsServer(spec: ServerSpec = {}): Promise<TdsTestServer> {
  const model = new ServerModel(spec);
  const sockets = new Set<net.Socket>();
  const srv: TdsTestServer = {
    host: '127.0.0.1', port: 0, model, statements: [], logins: [], tlsAttempts: 0, attentions: 0,
    userStatements() {
      return this.statements.filter((s) => !(s.kind === 'batch' && /^\s*set\s/i.test(s.sql)) && !/^\s*select\s+1\s*;?\s*$/i.test(s.sql));
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    new Session(socket, srv);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  srv.port = (server.address() as net.AddressInfo).port;
  return srv;
}

class Session {
  readonly #socket: net.Socket;
  readonly #srv: TdsTestServer;
  #buf = Buffer.alloc(0);
  #message: Buffer[] = [];
  #queue: Promise<void> = Promise.resolve();
  #attention = false;
  #user = '';
  #loggedIn = false;
  #packetId = 1;
  #first = true;

  constructor(socket: net.Socket, srv: TdsTestServer) {
    this.#socket = socket;
    this.#srv = srv;
    socket.on('data', (d: Buffer) => this.#onData(d));
  }

  #onData(d: Buffer): void {
    if (this.#first) {
      this.#first = false;
      if (d[0] === 0x16) { this.#srv.tlsAttempts++; this.#socket.destroy(); return; }
    }
    this.#buf = Buffer.concat([this.#buf, d]);
    while (this.#buf.length >= 8) {
      const len = this.#buf.readUInt16BE(2);
      if (this.#buf.length < len) break;
      const type = this.#buf[0]!;
      const status = this.#buf[1]!;
      this.#message.push(this.#buf.subarray(8, len));
      this.#buf = this.#buf.subarray(len);
      if (status & 0x01) {
        const data = Buffer.concat(this.#message);
        this.#message = [];
        if (type === PKT.ATTENTION) { this.#attention = true; this.#srv.attentions++; }
        this.#queue = this.#queue.then(() => this.#handle(type, data)).catch(() => { this.#socket.destroy(); });
      }
    }
  }

  #send(payload: Buffer, eom: boolean): void {
    for (let off = 0; off < payload.length || (off === 0 && payload.length === 0); off += MAX_PACKET - 8) {
      const chunk = payload.subarray(off, off + MAX_PACKET - 8);
      const last = off + MAX_PACKET - 8 >= payload.length;
      const h = Buffer.alloc(8);
      h[0] = PKT.REPLY;
      h[1] = eom && last ? 0x01 : 0x00;
      h.writeUInt16BE(chunk.length + 8, 2);
      h.writeUInt16BE(0x33, 4);
      h[6] = this.#packetId++ & 0xff;
      this.#socket.write(Buffer.concat([h, chunk]));
      if (payload.length === 0) break;
    }
  }

  async #handle(type: number, data: Buffer): Promise<void> {
    switch (type) {
      case PKT.PRELOGIN: return this.#prelogin();
      case PKT.LOGIN7: return this.#login(data);
      case PKT.ATTENTION:
        this.#attention = false;
        return this.#send(tok.done(tok.DONE_ATTN), true);
      case PKT.SQL_BATCH:
      case PKT.RPC: {
        if (!this.#loggedIn) { this.#socket.destroy(); return; }
        const rpc = type === PKT.RPC;
        const call = rpc ? parseRpc(data) : { sql: parseSqlBatch(data), params: {} };
        this.#srv.statements.push({ kind: rpc ? 'rpc' : 'batch', sql: call.sql, params: call.params, user: this.#user });
        return this.#respond(execute(this.#srv.model, call.sql, call.params), rpc);
      }
      default:
        this.#socket.destroy();
    }
  }

  #prelogin(): void {
    // VERSION, ENCRYPTION (0x02: not supported, the session stays plaintext), INSTOPT, THREADID, MARS.
    const [maj, min, build] = this.#srv.model.version.split('.').map(Number) as [number, number, number];
    const opts: [number, Buffer][] = [
      [0x00, Buffer.from([maj, min, (build >> 8) & 0xff, build & 0xff, 0, 0])],
      [0x01, Buffer.from([0x02])],
      [0x02, Buffer.from([0x00])],
      [0x03, Buffer.alloc(4)],
      [0x04, Buffer.from([0x00])],
    ];
    let offset = opts.length * 5 + 1;
    const head: Buffer[] = [];
    for (const [t, v] of opts) {
      const h = Buffer.alloc(5);
      h[0] = t; h.writeUInt16BE(offset, 1); h.writeUInt16BE(v.length, 3);
      head.push(h);
      offset += v.length;
    }
    this.#send(Buffer.concat([...head, Buffer.from([0xff]), ...opts.map((o) => o[1])]), true);
  }

  #login(data: Buffer): void {
    const l = parseLogin7(data);
    const m = this.#srv.model;
    const server = m.serverName;
    const fail = (e: { number: number; class: number; message: string }[]) => {
      this.#srv.logins.push({ user: l.user, database: l.database, appName: l.appName, integrated: l.integrated, sspi: l.sspi, ok: false });
      this.#send(Buffer.concat([...e.map((x) => tok.message(true, { ...x, server })), tok.done(tok.DONE_ERROR)]), true);
    };
    if (l.integrated) return fail([msg.untrustedDomain()]);
    if (m.logins.get(l.user) !== l.password) return fail([msg.loginFailed(l.user)]);
    const db = l.database || 'master';
    if (!m.db(db)) return fail([msg.cannotOpenDb(db), msg.loginFailed(l.user)]);
    this.#srv.logins.push({ user: l.user, database: l.database, appName: l.appName, integrated: false, sspi: l.sspi, ok: true });
    this.#user = l.user;
    this.#loggedIn = true;
    const [maj, min, build] = m.version.split('.').map(Number) as [number, number, number];
    this.#send(Buffer.concat([
      tok.envChange(1, db, 'master'),
      tok.message(false, { number: 5701, class: 0, message: `Changed database context to '${db}'.`, server }),
      tok.collationChange(),
      tok.envChange(4, '4096', '4096'),
      tok.loginAck('Microsoft SQL Server', [maj, min, build]),
      tok.done(0),
    ]), true);
  }

  async #respond(outs: Out[], rpc: boolean): Promise<void> {
    const server = this.#srv.model.serverName;
    let pending: Buffer[] = [];
    let failed = false;
    for (const o of outs) {
      if (this.#attention) break;
      switch (o.kind) {
        case 'delay':
          this.#send(Buffer.concat(pending), false);
          pending = [];
          await new Promise((r) => setTimeout(r, o.ms));
          break;
        case 'info':
          pending.push(tok.message(false, { number: o.number, class: 0, message: o.message, server }));
          break;
        case 'error':
          failed = true;
          pending.push(tok.message(true, { number: o.number, class: o.class, state: o.state ?? 1, message: o.message, server }));
          break;
        case 'rows':
          pending.push(tok.colMetadata(o.columns), ...o.rows.map((r) => tok.row(o.columns, r)),
            tok.done(tok.DONE_MORE | tok.DONE_COUNT, o.rows.length, rpc ? 0xff : 0xfd));
          break;
      }
    }
    const status = failed ? tok.DONE_ERROR : 0;
    if (rpc) pending.push(tok.returnStatus(0), tok.done(status, 0, 0xfe, 0xe0));
    else pending.push(tok.done(status));
    this.#send(Buffer.concat(pending), true);
  }
}
