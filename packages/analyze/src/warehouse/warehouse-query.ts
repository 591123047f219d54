import { EXPOSURE_EVENT } from '@bucketry/core';
import { sqlString } from './dialect.js';
import { WAREHOUSE_DIALECTS, type WarehouseDialectName } from './warehouse-dialects.js';

/**
 * A team's own events table: its name, its columns (unit id, event time, event name, a JSON
 * column of properties) and where in that JSON the experiment, the variant and (optionally) a
 * duration are.
 *
 * @example
 * ```ts
 * const table: EventsTable = { table: 'analytics.events', unit: 'user_id', time: 'received_at', event: 'event', properties: 'properties', experimentPath: 'experiment', variantPath: 'variant' };
 * ```
 */
export interface EventsTable {
  readonly table: string;
  readonly unit: string;
  readonly time: string;
  readonly event: string;
  readonly properties: string;
  readonly experimentPath: string;
  readonly variantPath: string;
  /** JSON path of a duration in ms: the query adds its approximate median and 95th percentile per variant. */
  readonly durationPath?: string;
}

/** What to tally: the experiment, its variants, the tracked (conversion) events. */
export interface WarehouseQueryOptions {
  readonly experiment: string;
  readonly variants: readonly string[];
  readonly metrics: readonly string[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$/;
const PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;
/** A unit's variant, or the row of units exposed to several variants. */
const variantOrSeveral = (prefix: string) => `CASE WHEN ${prefix}variants = 1 THEN ${prefix}variant ELSE '(several variants)' END`;

/** Throws naming the field, its value and the rule when a name would not be a plain identifier or path. */
function checkEventsTable(table: EventsTable): void {
  for (const key of ['table', 'unit', 'time', 'event', 'properties'] as const) {
    if (!IDENTIFIER.test(table[key])) throw new Error(`${key} is ${JSON.stringify(table[key])}: must be an identifier (letters, digits, _; up to two dots)`);
  }
  for (const key of ['experimentPath', 'variantPath', 'durationPath'] as const) {
    const path = table[key];
    if (path !== undefined && !PATH.test(path)) throw new Error(`${key} is ${JSON.stringify(path)}: must be dot-separated JSON field names`);
  }
}

/**
 * The query `bucketry sql` prints: per variant, the units exposed to it alone (units in several
 * variants in a row of their own, `(several variants)`), for each metric the units with the event
 * at or after their first exposure (the conversion counts the report's tests take), the first
 * and last exposure, and optionally the duration's approximate median and 95th percentile. One
 * query shape; the dialect supplies JSON access, casts, the hour and the quantile.
 *
 * @example
 * ```ts
 * console.log(warehouseQuery('bigquery', table, { experiment: 'skill_tree_layout', variants: ['tree', 'list'], metrics: ['skill_unlocked'] }));
 * ```
 */
export function warehouseQuery(dialectName: WarehouseDialectName, table: EventsTable, options: WarehouseQueryOptions): string {
  checkEventsTable(table);
  const d = WAREHOUSE_DIALECTS[dialectName];
  const variant = d.jsonText(table.properties, table.variantPath);
  const metricList = options.metrics.map(sqlString).join(', ');
  const conversions = options.metrics.map((m, i) => `,\n  SUM(CASE WHEN m${i}.last_time >= u.first_exposure THEN 1 ELSE 0 END) AS converted_${i}`).join('');
  const metricJoins = options.metrics.map((m, i) => `\nLEFT JOIN metric_events m${i} ON m${i}.unit = u.unit AND m${i}.event = ${sqlString(m)}`).join('');
  const durationCte =
    table.durationPath === undefined
      ? ''
      : `,
durations AS (
  SELECT u.variant, u.variants, ${d.number(d.jsonText(`e.${table.properties}`, table.durationPath))} AS duration
  FROM ${table.table} e JOIN units u ON u.unit = ${d.text(`e.${table.unit}`)}
  WHERE e.${table.time} >= u.first_exposure
),
duration_stats AS (
  SELECT ${variantOrSeveral('')} AS variant,
    ${d.quantile('duration', 0.5)} AS duration_p50, ${d.quantile('duration', 0.95)} AS duration_p95
  FROM durations WHERE duration IS NOT NULL GROUP BY 1
)`;
  const durationColumns = table.durationPath === undefined ? '' : ', d.duration_p50, d.duration_p95';
  const durationJoin = table.durationPath === undefined ? '' : '\nLEFT JOIN duration_stats d ON d.variant = t.variant';
  return `-- bucketry sql --dialect ${dialectName}: per-variant counts for ${options.experiment} (${options.variants.join(', ')})
WITH exposures AS (
  SELECT ${d.text(table.unit)} AS unit, ${variant} AS variant, MIN(${table.time}) AS first_exposure
  FROM ${table.table}
  WHERE ${table.event} = ${sqlString(EXPOSURE_EVENT)}
    AND ${d.jsonText(table.properties, table.experimentPath)} = ${sqlString(options.experiment)}
    AND ${variant} IN (${options.variants.map(sqlString).join(', ')})
  GROUP BY 1, 2
),
units AS (
  SELECT unit, MIN(variant) AS variant, COUNT(*) AS variants, MIN(first_exposure) AS first_exposure
  FROM exposures GROUP BY unit
),
metric_events AS (
  SELECT ${d.text(table.unit)} AS unit, ${table.event} AS event, MAX(${table.time}) AS last_time
  FROM ${table.table}
  WHERE ${table.event} IN (${metricList.length > 0 ? metricList : "''"})
  GROUP BY 1, 2
),
tallies AS (
  SELECT ${variantOrSeveral('u.')} AS variant,
  COUNT(*) AS units,
  MIN(u.first_exposure) AS first_exposure,
  MAX(u.first_exposure) AS last_exposure,
  COUNT(DISTINCT ${d.hour('u.first_exposure')}) AS exposure_hours${conversions}
  FROM units u${metricJoins}
  GROUP BY 1
)${durationCte}
SELECT t.*${durationColumns}
FROM tallies t${durationJoin}
ORDER BY t.variant`;
}
