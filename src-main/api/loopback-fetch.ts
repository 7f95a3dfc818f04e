/**
 * fetch over node:http for Node clients of the agent (the CLI). Node's built-in fetch gives up waiting for
 * response headers after 300 s, and `jobs.run` answers only when the backup is done, which for a large
 * database takes longer. Loopback only, so no proxy or TLS handling is needed.
 */
export const loopbackFetch: typeof fetch = async (input, init = {}) => {
  // Imported on first use: importing node:http as a module evaluates its lazy exports, which loads Node's
  // whole fetch implementation (about 30 ms), and a CLI command that finds no agent never sends a request.
  const http = await import('node:http');
  return send(http, input, init);
};

function send(http: typeof import('node:http'), input: Parameters<typeof fetch>[0], init: RequestInit): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: init.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve(new Response(chunks.length ? Buffer.concat(chunks) : null, { status: res.statusCode ?? 500, headers: h }));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    init.signal?.addEventListener('abort', () => req.destroy(new DOMException('aborted', 'AbortError')), { once: true });
    if (init.body !== undefined && init.body !== null) req.end(typeof init.body === 'string' ? init.body : Buffer.from(init.body as ArrayBuffer));
    else req.end();
  });
}
