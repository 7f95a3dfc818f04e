/**
 * SQL Server LSNs are numeric(25,0): up to 25 digits, far beyond a JS number's 15–16 exact digits. They
 * travel as decimal strings everywhere (SQL casts them to varchar) and are compared as bigint only here.
 */
export function parseLsn(value: unknown): bigint | null {
  if (typeof value !== 'string' || !/^\d{1,25}$/.test(value)) return null;
  return BigInt(value);
}

export function lsnText(value: bigint): string {
  return value.toString(10);
}
