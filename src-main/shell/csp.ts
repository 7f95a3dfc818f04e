/**
 * The renderer's Content-Security-Policy, one string for both hosts: the Electron window (page from
 * file://, API on the agent's loopback origin) and `lifeboat serve` (page and API on the same origin).
 * Scripts only from the app itself; styles also inline because Mantine sets CSS variables in style
 * attributes; nothing may frame the page, and forms and <base> cannot send data elsewhere.
 */
export function contentSecurityPolicy(opts: { apiOrigin?: string } = {}): string {
  const connect = ["'self'", ...(opts.apiOrigin ? [opts.apiOrigin] : [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
