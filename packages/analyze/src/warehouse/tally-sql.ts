import type { ResolvedOptions } from '../analysis/options.js';
import { sqlString, type Dialect } from './dialect.js';

/** The classified lines (classifyLinesSql) and the events the streaming classifier read from the lines SQL left to it. */
export const LINES_TABLE = 'bucketry_lines';
export const JS_EVENTS_TABLE = 'bucketry_js_events';

const COLUMNS = 'line_no, kind, unit, time_ms, variant, version, experiment, metric, event_id, name, duration_field, duration';
const EVENTS = `(SELECT ${COLUMNS} FROM ${LINES_TABLE} WHERE state = 'event' UNION ALL SELECT ${COLUMNS} FROM ${JS_EVENTS_TABLE})`;
/** Lines with records the accumulator applies (and checks for duplicates): exposures of the experiment, tracked events, durations. */
const RECORDS = `(kind IN ('exposure', 'metric') OR duration IS NOT NULL)`;
/** Those records, each numbered among the records with its event id (`nth` 1 for the first, and for every record without an id). */
const NUMBERED_RECORDS = `(SELECT e.*, CASE WHEN event_id IS NULL THEN 1 ELSE row_number() OVER (PARTITION BY event_id ORDER BY line_no) END AS nth
    FROM ${EVENTS} e WHERE ${RECORDS})`;

/**
 * The records the accumulator applies (exposures and tracked events), each event id's first one
 * only, as DuplicateEvents keeps them; `counted` marks exposures of the analysed config version.
 */
function keptSql(options: ResolvedOptions): string {
  const counted = options.configVersion === undefined ? `kind = 'exposure'` : `kind = 'exposure' AND version = ${sqlString(options.configVersion)}`;
  return `(SELECT r.*, CASE WHEN ${counted} THEN 1 ELSE 0 END AS counted FROM ${NUMBERED_RECORDS} r WHERE nth = 1)`;
}

/**
 * The queries that turn the classified lines into what ExportAccumulator holds: the line counts,
 * the per-variant exposure counts, the config versions and other experiments by first
 * appearance, the duplicate events, and one row per unit (variant mask, first exposure, the
 * last time of each tracked event): the sufficient statistics every judge of the report reads;
 * and the durations, each with its unit's state as of its line (the quantile sketches take values).
 *
 * @example
 * ```ts
 * const queries = tallyQueries(DIALECTS.duckdb, options);
 * const [counts] = await connection.rows(queries.lineCounts);
 * ```
 */
export function tallyQueries(d: Dialect, options: ResolvedOptions) {
  const kept = keptSql(options);
  const sum = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  const metricColumns = options.trackedEvents.map((_, m) => `, MAX(CASE WHEN kind = 'metric' AND metric = ${m} THEN time_ms END) AS m${m}`).join('');
  return {
    lineCounts: `SELECT COUNT(*) AS lines, ${sum(`state = 'blank'`)} AS blank, ${sum(`state = 'unrelated'`)} AS unrelated, ${sum(`state = 'event'`)} AS events,
      ${sum(`state = 'event' AND flavor = 'segment'`)} AS segment, ${sum(`state = 'event' AND flavor = 'amplitude'`)} AS amplitude, ${sum(`state = 'event' AND flavor = 'bucketry'`)} AS bucketry
      FROM ${LINES_TABLE} WHERE state <> 'js'`,
    duplicates: `SELECT ${sum('nth > 1')} AS duplicates, ${sum('event_id IS NULL')} AS without_id FROM ${NUMBERED_RECORDS} r`,
    exposures: `SELECT variant, COUNT(*) AS n FROM ${kept} k WHERE counted = 1 GROUP BY variant`,
    // How many of each tracked event were kept: a rate guardrail on an event the export never holds is 'not measured'.
    metricCounts: `SELECT metric, COUNT(*) AS n FROM ${kept} k WHERE kind = 'metric' GROUP BY metric`,
    totals: `SELECT ${sum(`kind = 'exposure' AND counted = 0`)} AS other_version, MIN(CASE WHEN counted = 1 OR kind = 'metric' THEN time_ms END) AS first_time,
      MAX(CASE WHEN counted = 1 OR kind = 'metric' THEN time_ms END) AS last_time FROM ${kept} k`,
    configVersions: `SELECT version, COUNT(*) AS n, MIN(line_no) AS first_line FROM ${kept} k WHERE kind = 'exposure' GROUP BY version ORDER BY first_line`,
    otherExperiments: `SELECT experiment, COUNT(*) AS n, MIN(line_no) AS first_line FROM ${EVENTS} e WHERE kind = 'other_experiment' GROUP BY experiment ORDER BY first_line`,
    // In order of first appearance: the unit table's rows in the streaming engine's order, so sums over units add up in the same order.
    units: `SELECT unit, ${d.bitOr(`CASE WHEN counted = 1 THEN ${d.bit('variant')} END`)} AS mask, MIN(CASE WHEN counted = 1 THEN time_ms END) AS first_exposure,
      MAX(CASE WHEN kind = 'exposure' AND counted = 0 THEN 1 ELSE 0 END) AS other_version${metricColumns} FROM ${kept} k WHERE kind IN ('exposure', 'metric') GROUP BY unit ORDER BY MIN(line_no)`,
    // Each duration with its unit's state from the lines before it, as the streaming engine attributes it.
    durations: `SELECT line_no, name, duration_field, duration, unit, time_ms, mask_before, first_before, other_before FROM (
      SELECT line_no, name, duration_field, duration, unit, time_ms,
        ${d.bitOr(`CASE WHEN counted = 1 THEN ${d.bit('variant')} END`)} OVER w AS mask_before,
        MIN(CASE WHEN counted = 1 THEN time_ms END) OVER w AS first_before,
        MAX(CASE WHEN kind = 'exposure' AND counted = 0 THEN 1 ELSE 0 END) OVER w AS other_before
      FROM ${kept} k
      WINDOW w AS (PARTITION BY unit ORDER BY line_no ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) x
      WHERE duration IS NOT NULL ORDER BY line_no`,
    jsLines: `SELECT line_no, line FROM ${LINES_TABLE} WHERE state = 'js' ORDER BY line_no`,
  };
}
