import { Cron } from 'croner';
import { LifeboatError } from '../errors/lifeboat-error.ts';

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/**
 * Turns a schedule text into a cron pattern. Accepted: a cron expression (5 or 6 fields, croner syntax),
 * croner nicknames (@hourly, @daily ...), and the presets people type: "hourly", "hourly at :15",
 * "daily", "daily 02:00", "weekly sunday 03:00", "monthly 1 04:00", "every 15 minutes", "every 6 hours".
 */
export function toCron(text: string): string {
  const s = text.trim().toLowerCase().replace(/\s+/g, ' ');
  let m: RegExpMatchArray | null;
  if (s === 'hourly') return '0 * * * *';
  if ((m = s.match(/^hourly at :?(\d{1,2})$/))) return `${minute(m[1]!, text)} * * * *`;
  if (s === 'daily') return '0 2 * * *';
  if ((m = s.match(/^daily (?:at )?(\d{1,2}):(\d{2})$/))) return `${minute(m[2]!, text)} ${hour(m[1]!, text)} * * *`;
  if ((m = s.match(/^weekly (\w+) (?:at )?(\d{1,2}):(\d{2})$/))) {
    const d = DAYS.findIndex((x) => x.startsWith(m![1]!.slice(0, 3)));
    if (d < 0) throw invalid(text, `unknown day '${m[1]}'`);
    return `${minute(m[3]!, text)} ${hour(m[2]!, text)} * * ${d}`;
  }
  if ((m = s.match(/^monthly (\d{1,2}) (?:at )?(\d{1,2}):(\d{2})$/))) {
    const day = Number(m[1]);
    if (day < 1 || day > 28) throw invalid(text, 'the day of the month must be 1 to 28 so that every month has it');
    return `${minute(m[3]!, text)} ${hour(m[2]!, text)} ${day} * *`;
  }
  if ((m = s.match(/^every (\d+) ?(minutes?|min|hours?|h)$/))) {
    const n = Number(m[1]);
    if (m[2]!.startsWith('m')) {
      if (n < 1 || n > 59) throw invalid(text, 'minutes must be 1 to 59');
      return n === 1 ? '* * * * *' : `*/${n} * * * *`;
    }
    if (n < 1 || n > 23) throw invalid(text, 'hours must be 1 to 23');
    return n === 1 ? '0 * * * *' : `0 */${n} * * *`;
  }
  if ((m = s.match(/^every (\d+) ?(seconds?|s)$/))) {
    // Seconds are for tests and demos; croner takes a six-field pattern.
    const n = Number(m[1]);
    if (n < 1 || n > 59) throw invalid(text, 'seconds must be 1 to 59');
    return `*/${n} * * * * *`;
  }
  return text.trim();
}

/** A parsed schedule: validated, in its time zone, able to list its slots. */
export interface Schedule {
  text: string;
  cron: string;
  timezone: string;
  /** The next `count` slots strictly after `from`. */
  next(from: Date, count: number): Date[];
  /** Slots in (after, upTo], oldest first, at most `limit`. */
  between(after: Date, upTo: Date, limit?: number): Date[];
}

export function parseSchedule(text: string, timezone: string): Schedule {
  const cron = toCron(text);
  if (!isTimezone(timezone)) throw invalid(text, `unknown time zone '${timezone}'`);
  let c: Cron;
  try {
    c = new Cron(cron, { timezone, paused: true });
  } catch (err) {
    throw invalid(text, (err as Error).message);
  }
  return {
    text, cron, timezone,
    next(from, count) {
      return c.nextRuns(count, from);
    },
    between(after, upTo, limit = 10_000) {
      const out: Date[] = [];
      let d: Date | null = after;
      while (out.length < limit && (d = c.nextRun(d)) && d.getTime() <= upTo.getTime()) out.push(d);
      return out;
    },
  };
}

export function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function systemTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function minute(v: string, text: string): number {
  const n = Number(v);
  if (n > 59) throw invalid(text, `minute ${v} is out of range`);
  return n;
}

function hour(v: string, text: string): number {
  const n = Number(v);
  if (n > 23) throw invalid(text, `hour ${v} is out of range`);
  return n;
}

function invalid(text: string, cause: string): LifeboatError {
  return new LifeboatError('CONFIG_INVALID', {
    verb: 'read', thing: 'schedule', where: text, cause,
    hint: 'use a cron expression ("30 2 * * *") or a preset: hourly, daily 02:00, weekly sunday 03:00, every 15 minutes',
  });
}
