import { sqlString } from './dialect.js';

/**
 * What differs between the warehouses for the query on a team's own events table, in one table:
 * reading a text field of a JSON column, casting to text, truncating a timestamp to the hour,
 * and an approximate quantile. The query (warehouse-query.ts) is written once over these.
 *
 * @example
 * ```ts
 * WAREHOUSE_DIALECTS.bigquery.jsonText('properties', 'variant'); // "JSON_VALUE(properties, '$.variant')"
 * ```
 */
export interface WarehouseDialect {
  /** A JSON column's field as text (`path`: dot-separated names). */
  readonly jsonText: (column: string, path: string) => string;
  /** A value as text. */
  readonly text: (value: string) => string;
  /** A timestamp truncated to its hour. */
  readonly hour: (timestamp: string) => string;
  /** The approximate `q` quantile (0–1) of a numeric expression, as an aggregate. */
  readonly quantile: (value: string, q: number) => string;
  /** A JSON field as a floating-point number (NULL when it is not one). */
  readonly number: (text: string) => string;
}

/** The warehouses `bucketry sql` writes for. */
export const WAREHOUSE_DIALECT_NAMES = ['duckdb', 'postgres', 'bigquery', 'snowflake', 'clickhouse'] as const;
export type WarehouseDialectName = (typeof WAREHOUSE_DIALECT_NAMES)[number];

const dotted = (path: string): string => path.split('.').map((p) => `"${p}"`).join('.');

/** Dialect by dialect: JSON access, cast to text, hour truncation, approximate quantile, number from text. */
export const WAREHOUSE_DIALECTS: Readonly<Record<WarehouseDialectName, WarehouseDialect>> = {
  duckdb: {
    jsonText: (c, p) => `json_extract_string(${c}, ${sqlString(`$.${dotted(p)}`)})`,
    text: (v) => `CAST(${v} AS VARCHAR)`,
    hour: (t) => `date_trunc('hour', ${t})`,
    quantile: (v, q) => `approx_quantile(${v}, ${q})`,
    number: (t) => `TRY_CAST(${t} AS DOUBLE)`,
  },
  postgres: {
    jsonText: (c, p) => `(${c} #>> ${sqlString(`{${p.split('.').join(',')}}`)})`,
    text: (v) => `CAST(${v} AS text)`,
    hour: (t) => `date_trunc('hour', ${t})`,
    // PostgreSQL has no approximate quantile: the exact one.
    quantile: (v, q) => `percentile_cont(${q}) WITHIN GROUP (ORDER BY ${v})`,
    number: (t) => `(CASE WHEN ${t} ~ '^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$' THEN CAST(${t} AS double precision) END)`,
  },
  bigquery: {
    jsonText: (c, p) => `JSON_VALUE(${c}, ${sqlString(`$.${p}`)})`,
    text: (v) => `CAST(${v} AS STRING)`,
    hour: (t) => `TIMESTAMP_TRUNC(${t}, HOUR)`,
    quantile: (v, q) => `APPROX_QUANTILES(${v}, 100)[OFFSET(${Math.round(q * 100)})]`,
    number: (t) => `SAFE_CAST(${t} AS FLOAT64)`,
  },
  snowflake: {
    jsonText: (c, p) => `${c}:${dotted(p)}::string`,
    text: (v) => `TO_VARCHAR(${v})`,
    hour: (t) => `DATE_TRUNC('hour', ${t})`,
    quantile: (v, q) => `APPROX_PERCENTILE(${v}, ${q})`,
    number: (t) => `TRY_TO_DOUBLE(${t})`,
  },
  clickhouse: {
    jsonText: (c, p) => `JSONExtractString(${c}, ${p.split('.').map(sqlString).join(', ')})`,
    text: (v) => `toString(${v})`,
    hour: (t) => `toStartOfHour(${t})`,
    quantile: (v, q) => `quantile(${q})(${v})`,
    number: (t) => `toFloat64OrNull(${t})`,
  },
};
