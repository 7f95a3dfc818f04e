import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { contentSecurityPolicy } from './csp.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

/**
 * Serves the built renderer (dist/renderer) for `lifeboat serve`: GET only, no path outside the folder,
 * unknown paths answer index.html (the app routes by its hash), and every answer carries the CSP and
 * headers that forbid framing and sniffing.
 */
export function rendererStaticHandler(root: string): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  const base = path.resolve(root);
  const csp = contentSecurityPolicy();
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const urlPath = decodeURIComponent((req.url ?? '/').split('?')[0]!.split('#')[0]!);
    let file = path.resolve(base, '.' + (urlPath === '/' ? '/index.html' : urlPath));
    if (file !== base && !file.startsWith(base + path.sep)) return false;
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      if (path.extname(urlPath)) return false;
      file = path.join(base, 'index.html');
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else res.end(fs.readFileSync(file));
    return true;
  };
}
