import { describe, expect, it } from 'vitest';
import { evaluateExpectation, parseExpectation } from '../../src-main/core/drills/probe-expectation.ts';
import { isLifeboatError } from '../../src-main/core/errors/lifeboat-error.ts';

const backupAt = new Date('2026-11-20T02:00:00Z');
const judge = (exp: string, actual: unknown, previous?: string | null) => evaluateExpectation(parseExpectation(exp), actual, { backupAt, previous });

describe('probe expectations', () => {
  it('compares integers exactly, beyond 2^53, whether the driver gives strings, numbers or bigints', () => {
    expect(judge('= 5000', '5000').status).toBe('passed');
    expect(judge('= 5000', 5000).status).toBe('passed');
    expect(judge('= 5000', 4999).status).toBe('failed');
    expect(judge('>= 9007199254740993', '9007199254740992').status).toBe('failed');
    expect(judge('>= 9007199254740993', 9007199254740993n).status).toBe('passed');
    expect(judge('> 10', '10').status).toBe('failed');
    expect(judge('< 10', '9.5').status).toBe('passed');
    expect(judge('!= 0', '0').status).toBe('failed');
    expect(judge('<> 0', '3').status).toBe('passed');
    expect(judge('<= -1', '-2').status).toBe('passed');
  });

  it('handles between (inclusive) and non-null', () => {
    expect(judge('between 100 and 200', '100').status).toBe('passed');
    expect(judge('between 100 and 200', '200').status).toBe('passed');
    expect(judge('between 100 and 200', '201').status).toBe('failed');
    expect(judge('non-null', 0).status).toBe('passed');
    expect(judge('NOT NULL', null).status).toBe('failed');
  });

  it('compares times as instants, also relative to the backup', () => {
    expect(judge('> 2026-01-01', new Date('2026-01-01T00:00:01Z')).status).toBe('passed');
    expect(judge('> 2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z').status).toBe('failed');
    // The newest historian row must be at most an hour older than the backup.
    const r = judge('>= backup - 1 hour', new Date('2026-11-20T00:30:00Z'));
    expect(r.status).toBe('failed');
    expect(r.expected).toBe('>= 2026-11-20T01:00:00.000Z');
    expect(judge('>= backup - 1 hour', new Date('2026-11-20T01:45:00Z')).status).toBe('passed');
    expect(judge('between backup - 2 days and backup', '2026-11-19T12:00:00Z').status).toBe('passed');
  });

  it('compares with the previous drill when there is one, and says so when there is none', () => {
    expect(judge('>= previous', '120', '100').status).toBe('passed');
    expect(judge('>= previous', '99', '100')).toMatchObject({ status: 'failed', expected: '>= 100' });
    expect(judge('>= previous', '99', null).status).toBe('skipped');
  });

  it('fails NULL and non-numeric results instead of passing them', () => {
    expect(judge('>= 1', null)).toMatchObject({ status: 'failed', detail: 'returned NULL (or no row)' });
    expect(judge('>= 1', 'abc').detail).toContain('not a number');
    expect(judge('> 2026-01-01', 'yesterday').detail).toContain('not a date and time');
  });

  it('refuses what it cannot read, with a usage error naming the text', () => {
    for (const bad of ['~ 5', '>= ', 'between 1', '= five', '= backup + 3 weeks', 'DROP TABLE x']) {
      let err: unknown;
      try { parseExpectation(bad); } catch (e) { err = e; }
      expect(isLifeboatError(err, 'USAGE'), bad).toBe(true);
    }
  });
});
