import type { PgServer } from './postgres-server.ts';

/**
 * A database with what logical backups get wrong: several schemas, a 50 000-row table, a large object,
 * a sequence in use, a function, and non-ASCII names.
 */
export async function createRichDatabase(pg: PgServer, name: string): Promise<void> {
  await pg.createDatabase(name);
  await pg.query(name, `
    CREATE SCHEMA sales;
    CREATE SCHEMA "Überwachung";
    CREATE SEQUENCE sales.order_no START 1000;
    CREATE TABLE sales.orders (id bigint PRIMARY KEY DEFAULT nextval('sales.order_no'), customer text NOT NULL, amount numeric(12,2), meta jsonb);
    INSERT INTO sales.orders (customer, amount, meta)
      SELECT 'Kunde ' || g, (g % 1000) / 7.0, jsonb_build_object('n', g, 'tag', 'é' || (g % 13)) FROM generate_series(1, 50000) g;
    CREATE TABLE "Überwachung"."Meßwerte" (ts timestamptz PRIMARY KEY, "Temperatur °C" double precision);
    INSERT INTO "Überwachung"."Meßwerte" SELECT timestamptz '2026-01-01' + g * interval '1 minute', g / 10.0 FROM generate_series(1, 1500) g;
    CREATE TABLE public.documents (id int PRIMARY KEY, title text, body oid);
    INSERT INTO public.documents VALUES (1, 'Batch record 東京', lo_from_bytea(0, convert_to(repeat('large object payload ', 4000), 'UTF8')));
    CREATE FUNCTION sales.order_total(c text) RETURNS numeric LANGUAGE sql AS $$ SELECT sum(amount) FROM sales.orders WHERE customer = c $$;
  `);
}

/** Row count and an order-independent checksum of every user table's contents. */
export async function tableFingerprints(pg: PgServer, db: string): Promise<Record<string, { rows: number; md5: string }>> {
  const tables = await pg.query<{ s: string; t: string }>(db, `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`);
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const { s, t } of tables) {
    const q = `"${s.replace(/"/g, '""')}"."${t.replace(/"/g, '""')}"`;
    const [r] = await pg.query<{ n: string; h: string | null }>(db, `SELECT count(*)::text AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${q} x`);
    out[`${s}.${t}`] = { rows: Number(r!.n), md5: r!.h ?? '' };
  }
  return out;
}

export async function largeObjectDigests(pg: PgServer, db: string): Promise<string[]> {
  const rows = await pg.query<{ h: string }>(db, 'SELECT md5(lo_get(oid)) AS h FROM pg_largeobject_metadata ORDER BY 1');
  return rows.map((r) => r.h);
}
