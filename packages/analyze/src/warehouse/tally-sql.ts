import type { ResolvedOptions } from '../analysis/options.js';
import { sqlString, type Dialect } from './dialect.js';

/** The classified lines (classifyLinesSql) and the events the streaming classifier read from the lines SQL left to it. */
export const LINES_TABLE = 'bucketry_lines';
export const JS_EVENTS_TABLE = 'bucketry_js_events';

const EVENTS = `(SELECT line_no, kind, unit, time_ms, variant, version, experiment, metric, event_id FROM ${LINES_TABLE} WHERE state = 'event'
  UNION ALL SELECT line_no, kind, unit, time_ms, variant, version, experiment, metric, event_id FROM ${JS_EVENTS_TABLE})`;

/**
 * The records the accumulator applies (exposures and tracked events), each event id's first one
 * only, as DuplicateEvents keeps them; `counted` marks exposures of the analysed config version.
 */
function keptSql(options: ResolvedOptions): string {
  const counted = options.configVersion === undefined ? `kind = 'exposure'` : `kind = 'exposure' AND version = ${sqlString(options.configVersion)}`;
  return `(SELECT r.*, CASE WHEN ${counted} THEN 1 ELSE 0 END AS counted FROM (
    SELECT e.*, CASE WHEN event_id IS NULL THEN 1 ELSE row_number() OVER (PARTITION BY event_id ORDER BY line_no) END AS nth
    FROM ${EVENTS} e WHERE kind IN ('exposure', 'metric')) r WHERE nth = 1)`;
}

/**
 * The queries that turn the classified lines into what ExportAccumulator holds: the line counts,
 * the per-variant exposure counts, the config versions and other experiments by first
 * appearance, the duplicate events, and one row per unit (variant mask, first exposure, the
 * last time of each tracked event): the sufficient statistics every judge of the report reads.
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
    duplicates: `SELECT ${sum('nth > 1')} AS duplicates, ${sum('event_id IS NULL')} AS without_id FROM (
      SELECT event_id, CASE WHEN event_id IS NULL THEN 1 ELSE row_number() OVER (PARTITION BY event_id ORDER BY line_no) END AS nth
      FROM ${EVENTS} e WHERE kind IN ('exposure', 'metric')) r`,
    exposures: `SELECT variant, COUNT(*) AS n FROM ${kept} k WHERE counted = 1 GROUP BY variant`,
    totals: `SELECT ${sum(`kind = 'exposure' AND counted = 0`)} AS other_version, MIN(CASE WHEN counted = 1 OR kind = 'metric' THEN time_ms END) AS first_time,
      MAX(CASE WHEN counted = 1 OR kind = 'metric' THEN time_ms END) AS last_time FROM ${kept} k`,
    configVersions: `SELECT version, COUNT(*) AS n, MIN(line_no) AS first_line FROM ${kept} k WHERE kind = 'exposure' GROUP BY version ORDER BY first_line`,
    otherExperiments: `SELECT experiment, COUNT(*) AS n, MIN(line_no) AS first_line FROM ${EVENTS} e WHERE kind = 'other_experiment' GROUP BY experiment ORDER BY first_line`,
    units: `SELECT unit, ${d.bitOr(`CASE WHEN counted = 1 THEN ${d.bit('variant')} END`)} AS mask, MIN(CASE WHEN counted = 1 THEN time_ms END) AS first_exposure,
      MAX(CASE WHEN kind = 'exposure' AND counted = 0 THEN 1 ELSE 0 END) AS other_version${metricColumns} FROM ${kept} k GROUP BY unit`,
    jsLines: `SELECT line_no, line FROM ${LINES_TABLE} WHERE state = 'js' ORDER BY line_no`,
  };
}
