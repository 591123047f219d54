import { ExportAccumulator, MAX_CONFIG_VERSIONS, MAX_OTHER_EXPERIMENTS } from '../analysis/accumulator.js';
import { MAX_UNIT_ID_BYTES_PER_CHAR, writeUnitId } from '../input/unit-id.js';
import { UnusableInputError } from '../analysis/analyze.js';
import { noExposuresMessage } from '../analysis/no-exposures.js';
import { resolveOptions, type AnalyzeOptions, type ResolvedOptions } from '../analysis/options.js';
import { buildReport, type AnalysisReport } from '../analysis/report.js';
import { sqlString, type Dialect } from './dialect.js';
import { classifyLinesSql } from './export-lines-sql.js';
import { FallbackLines, type FallbackEvent } from './fallback-lines.js';
import { JS_EVENTS_TABLE, LINES_TABLE, tallyQueries } from './tally-sql.js';
import { checkSqlSupports } from './unsupported.js';

/**
 * What the SQL tally needs of a database connection: run a statement, read a query's rows
 * (numbers as numbers or bigints, text as strings, NULL as null).
 *
 * @example
 * ```ts
 * const session: SqlSession = { run: (sql) => client.query(sql).then(() => undefined), rows: (sql) => client.query(sql).then((r) => r.rows) };
 * ```
 */
export interface SqlSession {
  readonly dialect: Dialect;
  run(sql: string): Promise<void>;
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** Calls `use` for each row of the query, in order; an engine that can streams them (memory stays bounded). */
  each?(sql: string, use: (row: Record<string, unknown>) => void | Promise<void>): Promise<void>;
}

/** {@link SqlSession.each}, or every row read at once where the session cannot stream. */
async function eachRow(session: SqlSession, sql: string, use: (row: Record<string, unknown>) => void | Promise<void>): Promise<void> {
  if (session.each !== undefined) return session.each(sql, use);
  for (const row of await session.rows(sql)) await use(row);
}

const num = (value: unknown): number => (value === null || value === undefined ? NaN : Number(value));
const INSERT_BATCH = 500;

/**
 * Analyses the export lines `source` (a query of `line_no`, `line`) on a SQL engine: SQL
 * classifies the lines and returns the sufficient statistics (per variant, per config version,
 * one row per unit); the same ExportAccumulator, judges and report as the streaming engine's
 * turn them into the report. Lines SQL cannot read with certainty go through the streaming
 * classifier itself (see FallbackLines).
 *
 * @example
 * ```ts
 * const report = await analyzeOnSql(session, "SELECT line_no, line FROM exports.events", { experiment: 'skill_tree_layout', variants: ['tree', 'list'] });
 * ```
 */
export async function analyzeOnSql(session: SqlSession, source: string, options: AnalyzeOptions): Promise<AnalysisReport> {
  const resolved = resolveOptions(options);
  checkSqlSupports(resolved);
  const acc = new ExportAccumulator(resolved);
  const d = session.dialect;
  const queries = tallyQueries(d, resolved);
  await session.run(`CREATE TEMP TABLE ${LINES_TABLE} AS ${classifyLinesSql(d, resolved, source)}`);
  await session.run(`CREATE TEMP TABLE ${JS_EVENTS_TABLE} AS SELECT * FROM ${LINES_TABLE} WHERE 1 = 0`);
  await readFallbackLines(session, resolved, acc, queries.jsLines);

  const [counts] = await session.rows(queries.lineCounts);
  acc.lines += num(counts!.lines);
  acc.blankLines += num(counts!.blank ?? 0);
  acc.unrelatedLines += num(counts!.unrelated ?? 0);
  acc.events += num(counts!.events ?? 0);
  acc.flavors.segment += num(counts!.segment ?? 0);
  acc.flavors.amplitude += num(counts!.amplitude ?? 0);
  acc.flavors.bucketry += num(counts!.bucketry ?? 0);
  const [duplicates] = await session.rows(queries.duplicates);
  acc.duplicateEvents.duplicates = num(duplicates!.duplicates ?? 0);
  acc.duplicateEvents.withoutId = num(duplicates!.without_id ?? 0);
  for (const row of await session.rows(queries.exposures)) acc.exposures[num(row.variant)] = num(row.n);
  for (const row of await session.rows(queries.metricCounts)) acc.trackedEventCounts[num(row.metric)] = num(row.n);
  const [totals] = await session.rows(queries.totals);
  acc.otherVersionExposures = num(totals!.other_version ?? 0);
  if (totals!.first_time !== null) acc.firstTime = num(totals!.first_time);
  if (totals!.last_time !== null) acc.lastTime = num(totals!.last_time);
  const versions = await session.rows(queries.configVersions);
  versions.forEach((row, i) => {
    const key = i < MAX_CONFIG_VERSIONS ? String(row.version) : '(others)';
    acc.configVersions.set(key, (acc.configVersions.get(key) ?? 0) + num(row.n));
  });
  for (const row of await session.rows(queries.otherExperiments)) {
    acc.otherExperimentExposures += num(row.n);
    if (acc.otherExperiments.size < MAX_OTHER_EXPERIMENTS) acc.otherExperiments.add(String(row.experiment));
  }
  const metricCount = resolved.trackedEvents.length;
  await eachRow(session, queries.units, (row) => {
    const unit = acc.units.row(String(row.unit));
    const mask = num(row.mask ?? 0);
    for (let v = 0; v < resolved.variants.length; v++) if (mask & (1 << v)) acc.units.expose(unit, v, num(row.first_exposure));
    if (num(row.other_version) === 1) acc.units.exposeInOtherVersion(unit);
    for (let m = 0; m < metricCount; m++) {
      const time = row[`m${m}`];
      if (time !== null && time !== undefined) acc.units.track(unit, m, num(time));
    }
  });
  await attributeDurations(session, queries.durations, acc);
  if (acc.exposures.every((n) => n === 0)) throw new UnusableInputError(noExposuresMessage(acc));
  return buildReport(acc);
}

/** Reads the lines SQL left to the streaming classifier, in order, and stores their events beside the classified lines. */
async function readFallbackLines(session: SqlSession, options: ResolvedOptions, acc: ExportAccumulator, query: string): Promise<void> {
  const fallback = new FallbackLines(options, acc);
  let batch: FallbackEvent[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const value = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : sqlString(v));
    const rows = batch.map(
      (e) => `(${[e.line_no, 'event', null, e.kind, e.unit, e.time_ms, e.variant, e.version, e.experiment, e.metric, e.event_id, e.name, e.duration_field, e.duration, null].map(value).join(', ')})`,
    );
    await session.run(`INSERT INTO ${JS_EVENTS_TABLE} VALUES ${rows.join(', ')}`);
    batch = [];
  };
  const lines: [number, string][] = [];
  // Read first, inserted after: the connection serves one statement at a time.
  await eachRow(session, query, (row) => void lines.push([num(row.line_no), String(row.line ?? '')]));
  for (const [lineNo, line] of lines) {
    const event = fallback.read(lineNo, line);
    if (event !== undefined) batch.push(event);
    if (batch.length >= INSERT_BATCH) await flush();
  }
  await flush();
}

/** The variant a unit's exposures mask says (as UnitTable.variantOf): -1 none, -2 several. */
function variantOfMask(mask: number): number {
  if (mask === 0) return -1;
  if ((mask & (mask - 1)) !== 0) return -2;
  return 31 - Math.clz32(mask);
}

/** Keeps each duration as the streaming engine does, from its unit's state on the lines before it (the query's). */
async function attributeDurations(session: SqlSession, query: string, acc: ExportAccumulator): Promise<void> {
  let scratch = new Uint8Array(256);
  await eachRow(session, query, (row) => {
    const variant = variantOfMask(num(row.mask_before ?? 0));
    const time = num(row.time_ms);
    if (variant < 0 || time < num(row.first_before)) {
      acc.durations.countUnattributed(variant, num(row.other_before ?? 0) === 1);
      return;
    }
    const unit = String(row.unit);
    if (unit.length * MAX_UNIT_ID_BYTES_PER_CHAR > scratch.length) scratch = new Uint8Array(unit.length * MAX_UNIT_ID_BYTES_PER_CHAR);
    const length = writeUnitId(unit, scratch, 0);
    acc.durations.add(String(row.name), num(row.duration_field), variant, acc.units.find(unit)!, num(row.duration), scratch, 0, length);
  });
}
