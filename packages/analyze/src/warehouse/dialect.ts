/**
 * What differs between the SQL engines the analysis runs on, in one table: reading a JSON
 * field, telling its type, its text, an integer's text, matching a pattern, a bit mask and
 * distinct-count shortcuts. The queries (export-lines-sql.ts, tally-sql.ts) are written once over
 * these; nothing else in them is engine-specific.
 *
 * @example
 * ```ts
 * DIALECTS.postgres.field('j', ['properties', 'variant'], 0); // "(j #> '{\"properties\",\"variant\"}')"
 * ```
 */
export interface Dialect {
  readonly name: DialectName;
  /**
   * The line (`line`, a text column) parsed once, SQL NULL when it is not a JSON object; `paths`
   * are all the fields {@link field} will read from it (DuckDB extracts them in that one parse).
   */
  readonly parseObject: (line: string, paths: readonly (readonly string[])[]) => string;
  /** The JSON value at `path` (the `index`th of parseObject's paths) of a parsed line, SQL NULL when absent. */
  readonly field: (parsed: string, path: readonly string[], index: number) => string;
  /** The JSON type of a value from {@link field}, one of: object, array, string, number, boolean, null. */
  readonly typeOf: (value: string) => string;
  /** A JSON string's text (escapes decoded), or a number's text as written. */
  readonly text: (value: string) => string;
  /** Whether a JSON number is written as an integer (no fraction, no exponent) of at most 15 digits. */
  readonly isPlainInteger: (value: string) => string;
  /** Whether `text` matches the POSIX regular expression `pattern`. */
  readonly matches: (text: string, pattern: string) => string;
  /** Whether `text` contains `part` (a literal). */
  readonly contains: (text: string, part: string) => string;
  /** Milliseconds from 1970-01-01 to the date `yyyy-mm-dd` in `text`'s first 10 characters, NULL if no such date. */
  readonly dateMillis: (text: string) => string;
  /**
   * How a step of the query is named: PostgreSQL must keep each step (MATERIALIZED), or it
   * inlines them into one expression that grows with every step and takes minutes to plan.
   */
  readonly step: string;
  /** Text of digits as a 64-bit integer; DuckDB's is TRY_CAST, as it may evaluate both sides of an AND. */
  readonly integer: (text: string) => string;
  /** Text of a number as DOUBLE (TRY_CAST in DuckDB, for the same reason). */
  readonly float: (text: string) => string;
  /** A 64-bit integer column type and DOUBLE PRECISION's name. */
  readonly bigint: string;
  readonly double: string;
  /** Integer `1 << bit` as a 64-bit integer, and the aggregate OR of such masks. */
  readonly bit: (bit: string) => string;
  readonly bitOr: (mask: string) => string;
}

/**
 * @example
 * ```ts
 * const dialect = DIALECTS[name satisfies DialectName];
 * ```
 */
export type DialectName = 'duckdb' | 'postgres';

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;

const DUCKDB: Dialect = {
  name: 'duckdb',
  // One parse per line for all the fields' types and one for their texts (json_type and
  // json_extract_string take a list of paths); a field is then a struct of the two, NULL when absent.
  parseObject: (line, paths) => {
    const list = `[${paths.map((path) => quote('$' + path.map((p) => `."${p}"`).join(''))).join(', ')}]`;
    return `CASE WHEN json_valid(${line}) AND json_type(${line}) = 'OBJECT' THEN struct_pack(t := json_type(${line}, ${list}), s := json_extract_string(${line}, ${list})) END`;
  },
  field: (parsed, _path, index) => `(CASE WHEN ${parsed}.t[${index + 1}] IS NOT NULL THEN struct_pack(t := ${parsed}.t[${index + 1}], s := ${parsed}.s[${index + 1}]) END)`,
  typeOf: (value) =>
    `(CASE (${value}).t WHEN 'OBJECT' THEN 'object' WHEN 'ARRAY' THEN 'array' WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean' WHEN 'NULL' THEN 'null' WHEN 'BIGINT' THEN 'number' WHEN 'UBIGINT' THEN 'number' WHEN 'DOUBLE' THEN 'number' END)`,
  text: (value) => `(${value}).s`,
  isPlainInteger: (value) => `regexp_full_match((${value}).s, '-?[1-9][0-9]{0,14}|0')`,
  matches: (text, pattern) => `regexp_full_match(${text}, ${quote(pattern)})`,
  contains: (text, part) => `contains(${text}, ${quote(part)})`,
  dateMillis: (text) => `epoch_ms(CAST(try_cast(substr(${text}, 1, 10) AS DATE) AS TIMESTAMP))`,
  step: 'AS',
  integer: (text) => `TRY_CAST(${text} AS BIGINT)`,
  float: (text) => `TRY_CAST(${text} AS DOUBLE)`,
  bigint: 'BIGINT',
  double: 'DOUBLE',
  bit: (bit) => `(CAST(1 AS BIGINT) << CAST(${bit} AS INTEGER))`,
  bitOr: (mask) => `bit_or(${mask})`,
};

const POSTGRES: Dialect = {
  name: 'postgres',
  // PostgreSQL 15 has no safe cast to jsonb: pg_temp.bucketry_jsonb (see POSTGRES_SETUP) returns NULL instead of failing.
  parseObject: (line) => `(CASE WHEN jsonb_typeof(pg_temp.bucketry_jsonb(${line})) = 'object' THEN pg_temp.bucketry_jsonb(${line}) END)`,
  field: (parsed, path) => `(${parsed} #> ${quote(`{${path.map((p) => `"${p}"`).join(',')}}`)})`,
  typeOf: (value) => `jsonb_typeof(${value})`,
  text: (value) => `(${value} #>> '{}')`,
  isPlainInteger: (value) => `((${value} #>> '{}') ~ '^(-?[1-9][0-9]{0,14}|0)$')`,
  matches: (text, pattern) => `(${text} ~ ${quote(`^(${pattern})$`)})`,
  contains: (text, part) => `(strpos(${text}, ${quote(part)}) > 0)`,
  dateMillis: (text) => `(extract(epoch FROM pg_temp.bucketry_date(substr(${text}, 1, 10)))::bigint * 1000)`,
  step: 'AS MATERIALIZED',
  integer: (text) => `CAST(${text} AS bigint)`,
  float: (text) => `CAST(${text} AS double precision)`,
  bigint: 'bigint',
  double: 'double precision',
  bit: (bit) => `((1)::bigint << (${bit})::int)`,
  bitOr: (mask) => `bit_or(${mask})`,
};

/** The engines the analysis runs on, by name. */
export const DIALECTS: Readonly<Record<DialectName, Dialect>> = { duckdb: DUCKDB, postgres: POSTGRES };

/**
 * Session-local helpers PostgreSQL needs before the queries: a JSON parse and a date cast that
 * return NULL where the plain casts would fail the whole query.
 */
export const POSTGRES_SETUP = [
  `CREATE OR REPLACE FUNCTION pg_temp.bucketry_jsonb(t text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN t::jsonb; EXCEPTION WHEN others THEN RETURN NULL; END $$`,
  `CREATE OR REPLACE FUNCTION pg_temp.bucketry_date(t text) RETURNS timestamptz LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN (t::date)::timestamp AT TIME ZONE 'UTC'; EXCEPTION WHEN others THEN RETURN NULL; END $$`,
];

export const sqlString = quote;
