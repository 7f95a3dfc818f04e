// Secrets must never reach a log line, CLI output or an error shown to a user. Every secret Lifeboat
// decrypts is registered here for its lifetime, and every text leaving the process passes through redact().
const registered = new Set<string>();
const SECRET_KEYS = /pass(word|phrase)?|secret|token|identity|private.?key/i;

export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 4) registered.add(value);
}

export function forgetSecret(value: string | undefined | null): void {
  if (value) registered.delete(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of registered) {
    if (out.includes(s)) out = out.split(s).join('***');
  }
  return out;
}

/** Deep copy with values under secret-looking keys replaced and registered secrets masked. */
export function redactValue<T>(value: T): T {
  return walk(value, '') as T;
}

function walk(value: unknown, key: string): unknown {
  if (typeof value === 'string') return SECRET_KEYS.test(key) && value ? '***' : redact(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, key));
  if (value instanceof Error) return redact(value.message);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, k);
    return out;
  }
  return value;
}
