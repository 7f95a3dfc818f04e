import { describe, expect, it } from 'vitest';
import { parseSchedule, toCron } from '../../src-main/core/scheduler/schedule-spec.ts';
import { inBlackout } from '../../src-main/core/scheduler/job-policy.ts';
import { isLifeboatError } from '../../src-main/core/errors/lifeboat-error.ts';

describe('schedule texts', () => {
  it('turns the presets people type into cron patterns', () => {
    expect(toCron('hourly')).toBe('0 * * * *');
    expect(toCron('Hourly at :15')).toBe('15 * * * *');
    expect(toCron('daily')).toBe('0 2 * * *');
    expect(toCron('daily 02:30')).toBe('30 2 * * *');
    expect(toCron('daily at 23:05')).toBe('5 23 * * *');
    expect(toCron('weekly sunday 03:00')).toBe('0 3 * * 0');
    expect(toCron('weekly Fri 22:15')).toBe('15 22 * * 5');
    expect(toCron('monthly 1 04:00')).toBe('0 4 1 * *');
    expect(toCron('every 15 minutes')).toBe('*/15 * * * *');
    expect(toCron('every 6 hours')).toBe('0 */6 * * *');
    expect(toCron('*/5 8-18 * * 1-5')).toBe('*/5 8-18 * * 1-5');
  });

  it('lists the next runs in the time zone asked for', () => {
    const s = parseSchedule('daily 02:00', 'America/New_York');
    expect(s.next(new Date('2026-07-01T12:00:00Z'), 2).map((d) => d.toISOString())).toEqual(['2026-07-02T06:00:00.000Z', '2026-07-03T06:00:00.000Z']);
    expect(parseSchedule('daily 02:00', 'Asia/Kolkata').next(new Date('2026-07-01T12:00:00Z'), 1)[0]!.toISOString()).toBe('2026-07-01T20:30:00.000Z');
  });

  it('refuses what it cannot schedule with CONFIG_INVALID and the way to write it', () => {
    for (const [text, tz, words] of [
      ['every 90 minutes', 'UTC', 'minutes must be 1 to 59'],
      ['daily 25:00', 'UTC', 'hour 25'],
      ['monthly 31 02:00', 'UTC', '1 to 28'],
      ['weekly someday 02:00', 'UTC', "unknown day 'someday'"],
      ['at some point', 'UTC', ''],
      ['hourly', 'Mars/Olympus_Mons', "unknown time zone 'Mars/Olympus_Mons'"],
    ] as const) {
      let err: unknown = null;
      try { parseSchedule(text, tz); } catch (e) { err = e; }
      expect(isLifeboatError(err, 'CONFIG_INVALID'), text).toBe(true);
      expect((err as Error).message).toContain(words);
      expect((err as { hint?: string }).hint).toContain('daily 02:00');
    }
  });
});

describe('maintenance blackouts', () => {
  const weekdays = [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '18:00' }];
  it('is inside production hours on a weekday, in the job\'s time zone', () => {
    expect(inBlackout(new Date('2026-06-03T05:00:00Z'), 'Europe/Berlin', weekdays)).toBe(true); // Wed 07:00 CEST
    expect(inBlackout(new Date('2026-06-03T04:59:00Z'), 'Europe/Berlin', weekdays)).toBe(false);
    expect(inBlackout(new Date('2026-06-03T16:00:00Z'), 'Europe/Berlin', weekdays)).toBe(false); // 18:00 ends it
    expect(inBlackout(new Date('2026-06-06T10:00:00Z'), 'Europe/Berlin', weekdays)).toBe(false); // Saturday
  });
  it('a window past midnight belongs to the day it starts on', () => {
    const night = [{ days: [5], from: '22:00', to: '06:00' }]; // Friday night shift
    expect(inBlackout(new Date('2026-06-05T23:00:00Z'), 'UTC', night)).toBe(true); // Fri 23:00
    expect(inBlackout(new Date('2026-06-06T05:59:00Z'), 'UTC', night)).toBe(true); // Sat 05:59
    expect(inBlackout(new Date('2026-06-07T05:00:00Z'), 'UTC', night)).toBe(false); // Sun 05:00
  });
});
