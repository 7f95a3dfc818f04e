import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';

/**
 * Who is on the other end of a loopback connection to the API, as the kernel knows it. The token proves only
 * that the caller could read agent.json; the audit trail needs a person. On Linux every TCP socket is listed in
 * /proc/net/tcp with the uid of the process that opened it, so the caller's socket (its port → the agent's
 * port) names the account, without trusting anything the caller says. Elsewhere (Windows would need
 * GetExtendedTcpTable) the answer is null and the API's actor stays 'api'.
 */
export function loopbackPeerUser(callerPort: number, agentPort: number, proc = '/proc'): string | null {
  if (process.platform !== 'linux' && proc === '/proc') return null;
  for (const table of ['net/tcp', 'net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(`${proc}/${table}`, 'utf8');
    } catch {
      continue;
    }
    const uid = socketOwner(text, callerPort, agentPort);
    if (uid !== null) return userName(uid, proc === '/proc' ? '/etc/passwd' : `${proc}/passwd`);
  }
  return null;
}

/** The uid column of the established socket from `localPort` to `remotePort` in a /proc/net/tcp table. */
export function socketOwner(table: string, localPort: number, remotePort: number): number | null {
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [, local, remote, state, , , , uid] = f;
    // 01: ESTABLISHED. The caller's row has its own port as local and the agent's as remote.
    if (state !== '01' || portOf(local!) !== localPort || portOf(remote!) !== remotePort) continue;
    return Number(uid);
  }
  return null;
}

function portOf(address: string): number {
  return parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
}

function userName(uid: number, passwd: string): string {
  try {
    for (const line of fs.readFileSync(passwd, 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && Number(id) === uid) return name;
    }
  } catch { /* no passwd file: the number it is */ }
  return `uid${uid}`;
}

/**
 * The audit actor of an API request: `<client>:<account>` when the kernel names the account (the client kind is
 * what the caller says it is — cli, shell — which is only a label; the account is the proof), else 'api'.
 */
export function apiActor(callerPort: number | undefined, agentPort: number, clientHeader: string | string[] | undefined, proc?: string): string {
  const user = callerPort ? loopbackPeerUser(callerPort, agentPort, proc) : null;
  if (!user) return 'api';
  const client = typeof clientHeader === 'string' && /^(cli|shell)$/.test(clientHeader) ? clientHeader : 'api';
  return `${client}:${user}`;
}

const actorsBySocket = new WeakMap<object, string>();

/**
 * The actor of a request, worked out once per connection: a client keeps its connection for many requests (and
 * the console polls), and the socket table and the passwd file need not be read again for each.
 */
export function requestActor(req: IncomingMessage, agentPort: number): string {
  let actor = actorsBySocket.get(req.socket);
  if (actor === undefined) {
    actor = apiActor(req.socket.remotePort, agentPort, req.headers['x-lifeboat-client']);
    actorsBySocket.set(req.socket, actor);
  }
  return actor;
}
