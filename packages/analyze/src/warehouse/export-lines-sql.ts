import { EXPOSURE_EVENT } from '@bucketry/core';
import { AMPLITUDE_EXPOSURE_EVENT, DURATION_FIELDS } from '../input/export-event.js';
import type { ResolvedOptions } from '../analysis/options.js';
import { sqlString, type Dialect } from './dialect.js';

/**
 * The first half of the SQL engine: one row per line of an export (`line_no`, `line` from
 * `source`), classified as the streaming classifier does (classify.ts, export-event.ts) for the
 * lines whose reading is certain in SQL: `state` is blank, unrelated, event, or `js` for every
 * line SQL leaves to the streaming classifier (bad lines, so their reasons are word for word the
 * same, and rare shapes: fractional unit ids, timestamps with offsets, durations in exponent
 * form). Events get their flavor, kind (exposure, other_experiment, metric, none), unit, time in
 * ms, variant index, config version, metric index, event id, and their duration (name, field
 * index in DURATION_FIELDS, value) if they carry one.
 *
 * @example
 * ```ts
 * const sql = classifyLinesSql(DIALECTS.duckdb, options, "SELECT ordinality AS line_no, line FROM read_csv(...) WITH ORDINALITY");
 * ```
 */
export function classifyLinesSql(d: Dialect, options: ResolvedOptions, source: string): string {
  const paths: string[][] = [];
  const indexOf = new Map<string, number>();
  /** A field of the parsed line; every path read is collected for parseObject. */
  const f = (...path: string[]) => {
    const key = JSON.stringify(path);
    let index = indexOf.get(key);
    if (index === undefined) indexOf.set(key, (index = paths.push(path) - 1));
    return d.field('j', path, index);
  };
  const type = (value: string) => d.typeOf(value);
  const isString = (value: string) => `(${type(value)} = 'string' AND ${d.text(value)} <> '')`;
  const isInteger = (value: string) => `(${type(value)} = 'number' AND ${d.isPlainInteger(value)})`;
  /** unitOf in export-event.ts: a non-empty string or a number's text; SQL reads integers only. */
  const unitOf = (value: string) => `(CASE WHEN ${isString(value)} THEN ${d.text(value)} WHEN ${isInteger(value)} THEN ${d.text(value)} END)`;
  const unsureUnit = (value: string) => `(${type(value)} = 'number' AND NOT ${d.isPlainInteger(value)})`;
  /** A property of the event, wherever its flavor keeps them. */
  const prop = (name: string) => `(CASE flavor WHEN 'amplitude' THEN ${f('event_properties', name)} WHEN 'segment' THEN ${f('properties', name)} ELSE ${f(name)} END)`;
  const nullish = (value: string) => `(${value} IS NULL OR ${type(value)} = 'null')`;

  const usedNames = [EXPOSURE_EVENT, AMPLITUDE_EXPOSURE_EVENT, ...options.trackedEvents, ...new Set(options.valueSeries.map((v) => v.event)), ...DURATION_FIELDS];
  const mentions = options.strict ? 'TRUE' : usedNames.map((name) => d.contains('line', JSON.stringify(name))).join(' OR ');
  const blank = `(line IS NULL OR ${d.matches('line', '[ \t\r]*')})`;
  const objectLike = d.matches('line', '[ \t\r]*[{].*[}][ \t\r]*');
  const variantIndex = `CASE ${d.text('variant_json')} ${options.variants.map((v, i) => `WHEN ${sqlString(v)} THEN ${i}`).join(' ')} END`;
  const metricIndex = options.trackedEvents.length === 0 ? 'NULL' : `CASE name ${options.trackedEvents.map((m, i) => `WHEN ${sqlString(m)} THEN ${i}`).join(' ')} END`;
  const fixedTime = '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-2][0-9]:[0-5][0-9]:[0-5][0-9]([.][0-9]{3}|[.][0-9]{6})?Z?';
  const digits = (from: number, length: number) => d.integer(`substr(${d.text('time_json')}, ${from}, ${length})`);
  const timeText = d.text('time_json');
  const stringTime =
    `(${d.dateMillis(timeText)} + ${digits(12, 2)} * 3600000 + ${digits(15, 2)} * 60000 + ${digits(18, 2)} * 1000 + ` +
    `CASE WHEN length(rtrim(${timeText}, 'Z')) = 23 THEN ${d.float(digits(21, 3))} WHEN length(rtrim(${timeText}, 'Z')) = 26 THEN ${digits(21, 6)} / 1000.0 ELSE 0 END)`;

  const sql = `
WITH src AS (${source}),
lined ${d.step} (
  SELECT line_no, line, ${blank} AS blank, (${mentions}) AS mentions FROM src
),
parsed ${d.step} (
  SELECT line_no, line, blank, mentions, CASE WHEN NOT blank AND mentions THEN \${PARSE} END AS j FROM lined
),
shaped ${d.step} (
  SELECT line_no, line, blank, mentions, j,
    CASE WHEN j IS NULL THEN NULL
         WHEN ${f('event_type')} IS NOT NULL THEN 'amplitude'
         WHEN ${f('event')} IS NULL THEN NULL
         WHEN COALESCE(${unitOf(f('userId'))}, ${unitOf(f('anonymousId'))}) IS NULL AND ${f('unit')} IS NOT NULL AND ${f('properties')} IS NULL THEN 'bucketry'
         ELSE 'segment' END AS flavor,
    (${unsureUnit(f('userId'))} OR (${unitOf(f('userId'))} IS NULL AND ${unsureUnit(f('anonymousId'))})) AS unsure_segment_unit
  FROM parsed
),
fielded ${d.step} (
  SELECT line_no, line, blank, mentions, j, flavor, unsure_segment_unit,
    CASE flavor WHEN 'amplitude' THEN ${f('event_type')} ELSE ${f('event')} END AS name_json,
    CASE flavor WHEN 'amplitude' THEN COALESCE(${unitOf(f('user_id'))}, ${unitOf(f('device_id'))})
                WHEN 'bucketry' THEN ${unitOf(f('unit'))}
                ELSE COALESCE(${unitOf(f('userId'))}, ${unitOf(f('anonymousId'))}) END AS unit,
    CASE flavor WHEN 'amplitude' THEN ${unsureUnit(f('user_id'))} OR (${unitOf(f('user_id'))} IS NULL AND ${unsureUnit(f('device_id'))})
                WHEN 'bucketry' THEN unsure_segment_unit OR ${unsureUnit(f('unit'))}
                ELSE unsure_segment_unit END AS unsure_unit,
    CASE flavor WHEN 'amplitude' THEN ${type(f('event_properties'))} IN ('object', 'null') OR ${f('event_properties')} IS NULL
                WHEN 'segment' THEN ${type(f('properties'))} IN ('object', 'null') OR ${f('properties')} IS NULL
                ELSE TRUE END AS good_properties,
    CASE WHEN flavor = 'amplitude' THEN (CASE WHEN ${f('event_time')} IS NOT NULL THEN ${f('event_time')} ELSE ${f('time')} END)
         WHEN ${f('timestamp')} IS NOT NULL OR ${f('originalTimestamp')} IS NULL THEN ${f('timestamp')}
         ELSE ${f('originalTimestamp')} END AS time_json,
    CASE flavor WHEN 'amplitude' THEN (CASE WHEN ${isString(f('insert_id'))} THEN ${d.text(f('insert_id'))} WHEN ${isString(f('$insert_id'))} THEN ${d.text(f('$insert_id'))} END)
                WHEN 'bucketry' THEN (CASE WHEN ${isString(f('eventId'))} THEN ${d.text(f('eventId'))} END)
                ELSE (CASE WHEN ${isString(f('messageId'))} THEN ${d.text(f('messageId'))} END) END AS event_id
  FROM shaped
),
timed ${d.step} (
  SELECT *, CASE WHEN ${isString('name_json')} THEN ${d.text('name_json')} END AS name,
    CASE WHEN ${type('time_json')} = 'string' AND ${d.matches(timeText, fixedTime)} AND ${d.integer(`substr(${timeText}, 12, 2)`)} <= 23 THEN ${stringTime}
         WHEN ${isInteger('time_json')} AND ${d.integer(d.text('time_json'))} > 0 THEN
           CASE WHEN ${d.integer(d.text('time_json'))} < 100000000000 THEN ${d.integer(d.text('time_json'))} * 1000 ELSE ${d.integer(d.text('time_json'))} END
    END AS time_ms
  FROM fielded
),
propertied ${d.step} (
  SELECT *,
    CASE WHEN name = ${sqlString(EXPOSURE_EVENT)} THEN ${prop('experiment')}
         WHEN ${nullish(prop('flag_key'))} THEN ${prop('experiment')} ELSE ${prop('flag_key')} END AS experiment_json,
    ${prop('variant')} AS variant_json,
    ${prop('configVersion')} AS version_json,
    CASE ${DURATION_FIELDS.map((field, i) => `WHEN ${prop(field)} IS NOT NULL THEN ${i}`).join(' ')} END AS duration_field,
    CASE ${DURATION_FIELDS.map((field) => `WHEN ${prop(field)} IS NOT NULL THEN ${prop(field)}`).join(' ')} END AS duration_json
  FROM timed
),
kinded ${d.step} (
  SELECT *,
    CASE WHEN name IN (${sqlString(EXPOSURE_EVENT)}, ${sqlString(AMPLITUDE_EXPOSURE_EVENT)}) THEN
           CASE WHEN NOT ${isString('experiment_json')} THEN 'js'
                WHEN ${d.text('experiment_json')} <> ${sqlString(options.experiment)} THEN 'other_experiment'
                WHEN NOT ${isString('variant_json')} OR (${variantIndex}) IS NULL THEN 'js'
                WHEN ${type('version_json')} = 'number' AND NOT ${d.isPlainInteger('version_json')} THEN 'js'
                ELSE 'exposure' END
         WHEN duration_field IS NOT NULL AND NOT (${type('duration_json')} = 'number' AND ${d.matches(d.text('duration_json'), '[0-9]{1,200}([.][0-9]{1,50})?')}) THEN 'js'
         WHEN (${metricIndex}) IS NOT NULL THEN 'metric'
         ELSE 'none' END AS kind
  FROM propertied
),
stated ${d.step} (
  SELECT *, CASE WHEN blank THEN 'blank'
       WHEN NOT mentions THEN CASE WHEN ${objectLike} THEN 'unrelated' ELSE 'js' END
       WHEN flavor IS NULL OR unsure_unit OR unit IS NULL OR NOT good_properties OR name IS NULL OR time_ms IS NULL OR kind = 'js' THEN 'js'
       ELSE 'event' END AS state
  FROM kinded
)
SELECT line_no, state, flavor, kind, unit, CAST(time_ms AS ${d.double}) AS time_ms,
  CASE WHEN kind = 'exposure' THEN ${variantIndex} END AS variant,
  CASE WHEN kind <> 'exposure' THEN NULL WHEN ${type('version_json')} IN ('string', 'number') THEN ${d.text('version_json')} ELSE '(none)' END AS version,
  CASE WHEN kind = 'other_experiment' THEN ${d.text('experiment_json')} END AS experiment,
  CASE WHEN kind = 'metric' THEN ${metricIndex} END AS metric,
  event_id,
  CASE WHEN duration_field IS NOT NULL AND kind IN ('metric', 'none') THEN name END AS name,
  CASE WHEN kind IN ('metric', 'none') THEN duration_field END AS duration_field,
  CASE WHEN duration_field IS NOT NULL AND kind IN ('metric', 'none') AND state = 'event' THEN ${d.float(d.text('duration_json'))} END AS duration,
  CASE WHEN state = 'js' THEN line END AS line
FROM stated`;
  return sql.replace('\${PARSE}', () => d.parseObject('line', paths));
}
