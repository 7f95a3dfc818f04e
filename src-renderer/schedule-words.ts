const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (s: string) => s.padStart(2, '0');

/** A five-field cron pattern in plain words, for the common shapes; other patterns are named as such. */
export function describeCron(cron: string): string {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5) return 'a custom pattern (see the next runs below)';
  const [m, h, dom, mon, dow] = f as [string, string, string, string, string];
  const num = (s: string) => /^\d+$/.test(s);
  if (mon !== '*') return 'a custom pattern (see the next runs below)';
  let x: RegExpMatchArray | null;
  if ((x = m.match(/^\*\/(\d+)$/)) && h === '*' && dom === '*' && dow === '*') return `every ${x[1]} minutes`;
  if (m === '*' && h === '*' && dom === '*' && dow === '*') return 'every minute';
  if (num(m) && h === '*' && dom === '*' && dow === '*') return `every hour at ${pad(m)} minutes past`;
  if (num(m) && (x = h.match(/^\*\/(\d+)$/)) && dom === '*' && dow === '*') return `every ${x[1]} hours at ${pad(m)} minutes past`;
  if (num(m) && num(h) && dom === '*' && dow === '*') return `every day at ${pad(h)}:${pad(m)}`;
  if (num(m) && num(h) && dom === '*' && num(dow)) return `every ${DAYS[Number(dow) % 7]} at ${pad(h)}:${pad(m)}`;
  if (num(m) && num(h) && dom === '*' && dow === '1-5') return `every weekday (Monday to Friday) at ${pad(h)}:${pad(m)}`;
  if (num(m) && num(h) && num(dom) && dow === '*') return `on day ${dom} of every month at ${pad(h)}:${pad(m)}`;
  return 'a custom pattern (see the next runs below)';
}
