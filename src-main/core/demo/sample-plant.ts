/**
 * A small plant database in the shape Lifeboat protects: MES production orders and batches, a historian
 * (tag/timestamp/value/quality, the table that dominates real sites), alarms with text and JSON.
 * `scale` multiplies the row counts (1 ≈ 120 000 historian rows).
 */
export function samplePlantSql(scale = 1): string {
  const hist = Math.round(120_000 * scale);
  const orders = Math.round(500 * scale);
  const alarms = Math.round(2_000 * scale);
  return `
CREATE SCHEMA mes;
CREATE SCHEMA historian;
CREATE TABLE mes.production_orders (
  order_id bigserial PRIMARY KEY,
  product text NOT NULL,
  quantity integer NOT NULL,
  due date NOT NULL,
  status text NOT NULL
);
CREATE TABLE mes.batches (
  batch_id bigserial PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES mes.production_orders(order_id),
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  operator text NOT NULL,
  parameters jsonb NOT NULL
);
CREATE TABLE historian.tag_values (
  tag text NOT NULL,
  ts timestamptz NOT NULL,
  value double precision NOT NULL,
  quality smallint NOT NULL,
  PRIMARY KEY (tag, ts)
);
CREATE TABLE public.alarms (
  alarm_id bigserial PRIMARY KEY,
  raised_at timestamptz NOT NULL,
  area text NOT NULL,
  message text NOT NULL,
  detail jsonb
);
INSERT INTO mes.production_orders (product, quantity, due, status)
  SELECT 'Produkt-' || (g % 37) || ' Größe ' || (g % 5), 100 + g % 900, date '2026-01-01' + (g % 300), (ARRAY['planned','running','done'])[1 + g % 3]
  FROM generate_series(1, ${orders}) g;
INSERT INTO mes.batches (order_id, started_at, finished_at, operator, parameters)
  SELECT 1 + g % ${orders}, timestamptz '2026-01-01' + g * interval '7 minutes', timestamptz '2026-01-01' + g * interval '7 minutes' + interval '3 hours',
         (ARRAY['Ana','Jürgen','Søren','Zoë'])[1 + g % 4], jsonb_build_object('temp', 70 + g % 10, 'line', 'L' || (g % 4), 'recipe', 'R-' || (g % 12))
  FROM generate_series(1, ${orders * 4}) g;
INSERT INTO historian.tag_values (tag, ts, value, quality)
  SELECT 'PLANT1.LINE' || (g % 40 / 5) || '.TT' || (g % 40), timestamptz '2026-01-01' + (g / 40) * interval '1 second', sin(g / 100.0) * 50 + 20, CASE WHEN g % 997 = 0 THEN 64 ELSE 192 END
  FROM generate_series(1, ${hist}) g;
INSERT INTO public.alarms (raised_at, area, message, detail)
  SELECT timestamptz '2026-01-01' + g * interval '13 minutes', 'Area ' || (g % 6), 'High temperature on line ' || (g % 4) || ' — acknowledged',
         CASE WHEN g % 3 = 0 THEN jsonb_build_object('limit', 85, 'actual', 85 + g % 7) END
  FROM generate_series(1, ${alarms}) g;
CREATE INDEX ON historian.tag_values (ts);
CREATE VIEW mes.open_orders AS SELECT * FROM mes.production_orders WHERE status <> 'done';
ANALYZE;
`;
}
