import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchEventSource as ApiEventSource } from '../../src-main/api/fetch-event-source.ts';
import { FetchEventSource as RendererEventSource } from '../../src-renderer/api/fetch-event-source.ts';

// The two copies (the renderer may not import runtime code from src-main) must read a stream the same way,
// as a browser's EventSource would: named events, multi-line data, CRLF, comments, and an id that holds for
// later events that carry none.
const STREAM = ': hello\r\nid: 7\r\nevent: progress\r\ndata: {"a":1}\r\n\r\ndata: line one\ndata: line two\n\nevent: done\ndata: x\nid: 9\n\n';

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.headers.authorization !== 'Bearer t') { res.writeHead(401).end('no token'); return; }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    // In small pieces, split inside lines, as a network may deliver them.
    const bytes = Buffer.from(STREAM);
    let i = 0;
    const tick = setInterval(() => {
      res.write(bytes.subarray(i, i + 7));
      i += 7;
      if (i >= bytes.length) { clearInterval(tick); res.end(); }
    }, 1);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

type Source = typeof ApiEventSource;
function read(Impl: Source, token: string): Promise<{ events: string[]; error: Event }> {
  return new Promise((resolve) => {
    const events: string[] = [];
    const es = new Impl(base, { headers: { authorization: `Bearer ${token}` } } as never);
    for (const type of ['message', 'progress', 'done']) {
      es.addEventListener(type, (e) => { const m = e as MessageEvent; events.push(`${type}|${m.data}|${m.lastEventId}`); });
    }
    es.addEventListener('error', (e) => { es.close(); resolve({ events, error: e }); });
  });
}

describe.each([['src-main/api', ApiEventSource], ['src-renderer/api', RendererEventSource as unknown as Source]])('FetchEventSource (%s)', (_where, Impl) => {
  it('delivers the events as EventSource would, then reports the end of the stream', async () => {
    const { events } = await read(Impl, 't');
    expect(events).toEqual(['progress|{"a":1}|7', 'message|line one\nline two|7', 'done|x|9']);
  });

  it('reports a refused request as an error without events', async () => {
    const { events, error } = await read(Impl, 'wrong');
    expect(events).toEqual([]);
    expect(error.type).toBe('error');
  });
});
