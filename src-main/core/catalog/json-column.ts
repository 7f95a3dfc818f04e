/** JSON columns: parsed on the way out, so repositories return plain objects. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  return JSON.parse(text) as T;
}

export function nowIso(): string {
  return new Date().toISOString();
}
