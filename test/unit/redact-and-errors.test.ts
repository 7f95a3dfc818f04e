import { describe, expect, it } from 'vitest';
import { registerSecret, redact, redactValue } from '../../src-main/core/util/redact.ts';
import { createLogger } from '../../src-main/core/util/logger.ts';
import { LifeboatError, isLifeboatError } from '../../src-main/core/errors/lifeboat-error.ts';
import { ERROR_CODES } from '../../src-main/core/errors/codes.ts';

describe('redaction', () => {
  it('masks registered secrets anywhere in text, and values under secret-looking keys', () => {
    registerSecret('hunter2-plant');
    expect(redact('login with hunter2-plant failed')).toBe('login with *** failed');
    expect(redactValue({ host: 'db', password: 'x', nested: { passphrase: 'y', note: 'hunter2-plant' } })).toEqual({ host: 'db', password: '***', nested: { passphrase: '***', note: '***' } });
  });

  it('is applied by the logger itself', () => {
    registerSecret('S3cret-value');
    const lines: string[] = [];
    createLogger((l) => lines.push(l)).log('error', 'pg said S3cret-value', { token: 'abc', cause: 'S3cret-value' });
    expect(lines[0]).not.toContain('S3cret-value');
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'pg said ***', token: '***', cause: '***' });
  });
});

describe('errors', () => {
  it('follow the one message template and carry the table’s code data', () => {
    const e = new LifeboatError('TARGET_FULL', { verb: 'write', thing: 'object', where: '/mnt/usb/x', cause: 'no space left on the device' });
    expect(e.message).toBe("unable to write object '/mnt/usb/x': no space left on the device");
    expect(e.toJSON()).toEqual({ code: 'TARGET_FULL', message: e.message, retryable: false });
    expect(ERROR_CODES.VERIFY_MISMATCH.exit).toBe(3);
    expect(ERROR_CODES.USAGE.exit).toBe(2);
  });

  it('are recognised by name and code after crossing a process boundary', () => {
    const wire = JSON.parse(JSON.stringify({ name: 'LifeboatError', code: 'BUSY', message: 'x' }));
    expect(isLifeboatError(wire, 'BUSY')).toBe(true);
    expect(isLifeboatError(new Error('x'))).toBe(false);
  });
});
