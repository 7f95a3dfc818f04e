import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { ApiContext } from './api-context.ts';
import { appRouter } from './router.ts';
import { envelopeOf } from './error-envelope.ts';
import { LifeboatError } from '../core/errors/lifeboat-error.ts';
import { ERROR_CODES } from '../core/errors/codes.ts';

export const API_BASE = '/trpc';

/**
 * Serves anything outside /trpc (the renderer's files, issue 6). Return true when the request was answered.
 * It runs after the Host check and before the token check, because a browser loads the page before it can
 * know the token.
 */
export type StaticHandler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;

export interface ApiServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * The agent's HTTP face: 127.0.0.1 only, a random port unless one is given. Every request must name a
 * loopback host (a DNS-rebinding page cannot), carry the token as a Bearer credential, and gets no CORS
 * header, so no web page can read an answer.
 */
export async function startApiServer(opts: { token: string; createContext: (req: http.IncomingMessage, port: number) => ApiContext; port?: number; staticHandler?: StaticHandler }): Promise<ApiServer> {
  const expected = Buffer.from(`Bearer ${opts.token}`);
  let port = 0;
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: `${API_BASE}/`,
    // Inputs are forms and ids; a large body is a mistake or an attack.
    maxBodySize: 1024 * 1024,
    createContext: ({ req }) => opts.createContext(req, port),
    responseMeta({ errors }) {
      const first = errors[0];
      return first ? { status: envelopeOf(first).httpStatus } : {};
    },
  });
  const server = http.createServer((req, res) => {
    void (async () => {
      if (!hostAllowed(req.headers.host, port)) return refuse(res, new LifeboatError('HOST_NOT_ALLOWED', { verb: 'serve', thing: 'request for host', where: String(req.headers.host ?? ''), cause: 'only 127.0.0.1 and localhost are served' }));
      const origin = req.headers.origin;
      if (origin !== undefined && !hostAllowed(origin.replace(/^https?:\/\//, ''), port)) return refuse(res, new LifeboatError('HOST_NOT_ALLOWED', { verb: 'serve', thing: 'request from origin', where: origin, cause: 'requests from other sites are refused' }));
      const url = req.url ?? '/';
      if (!url.startsWith(`${API_BASE}/`)) {
        if (opts.staticHandler && (await opts.staticHandler(req, res))) return;
        return refuse(res, new LifeboatError('NOT_FOUND', { verb: 'find', thing: 'path', where: url.split('?')[0]!, cause: `the API lives under ${API_BASE}/` }));
      }
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return refuse(res, new LifeboatError('UNAUTHORIZED', { verb: 'serve', thing: 'request', where: url.split('?')[0]!, cause: req.headers.authorization ? 'the token is wrong' : 'no token was given (Authorization: Bearer <token from agent.json>)' }));
      }
      trpc(req, res);
    })().catch((err: unknown) => refuse(res, new LifeboatError('INTERNAL', { verb: 'serve', thing: 'request', cause: String(err) })));
  });
  // SSE streams stay open; the server must not cut them at the default request timeout.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => reject(new LifeboatError(err.code === 'EADDRINUSE' ? 'PORT_IN_USE' : 'INTERNAL', {
      verb: 'listen on', thing: 'address', where: `127.0.0.1:${opts.port ?? 0}`, cause: err.message, hint: 'choose another --port, or leave it out for a free one',
    }));
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => { server.off('error', fail); resolve(); });
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}${API_BASE}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

/** Answers with the envelope tRPC clients understand ({ error: { message, code, data } }). */
function refuse(res: http.ServerResponse, err: LifeboatError): void {
  const env = envelopeOf(err);
  if (res.headersSent) { res.end(); return; }
  res.writeHead(ERROR_CODES[err.code].http, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message: env.message, code: -32001, data: { ...env, path: null } } }));
}
