import { resolveOptions } from '../analysis/options.js';
import { ANALYZE_FLAGS, analyzeOptionsFrom } from '../cli/analyze-flags.js';
import { choiceFlag, jsonFileFlag, parseFlags } from '../cli/flags.js';
import { EXIT, printHelp, UsageError, type CliIo } from '../cli/io.js';
import { WAREHOUSE_DIALECT_NAMES } from './warehouse-dialects.js';
import { warehouseQuery, type EventsTable } from './warehouse-query.js';

export const SQL_HELP = `Usage: bucketry sql --dialect <${WAREHOUSE_DIALECT_NAMES.join('|')}> --table <name> [flags]

Prints the query that tallies an experiment in your own events table: per variant the units
exposed to it alone, the units in several variants, per metric the units with the event at or
after their first exposure, and (with --duration-path) the duration's approximate p50 and p95.

  --dialect <name>            ${WAREHOUSE_DIALECT_NAMES.join(', ')}
  --table <name>              the events table, e.g. analytics.events
  --columns <k=v,...>         the table's columns: unit, time, event, properties (a JSON column);
                              default unit=user_id,time=timestamp,event=event,properties=properties
  --experiment-path <path>    where the experiment is in properties (default experiment)
  --variant-path <path>       where the variant is in properties (default variant)
  --duration-path <path>      a duration in ms in properties, for p50 and p95 per variant
  --config <file>             a JSON file with any of: table, columns (an object), experimentPath,
                              variantPath, durationPath; flags win over it
  --policy, --experiment, --expected-variant, --metric   as for bucketry analyze

Exit codes: 0 printed, 2 bad flags.`;

// Of analyze's flags, those that name the experiment, its variants and metrics; the rest mean nothing to the query and are refused as unknown.
const SQL_FLAGS = {
  experiment: ANALYZE_FLAGS.experiment,
  'expected-variant': ANALYZE_FLAGS['expected-variant'],
  metric: ANALYZE_FLAGS.metric,
  policy: ANALYZE_FLAGS.policy,
  help: ANALYZE_FLAGS.help,
  table: { type: 'string' },
  dialect: { type: 'string' },
  columns: { type: 'string' },
  'experiment-path': { type: 'string' },
  'variant-path': { type: 'string' },
  'duration-path': { type: 'string' },
  config: { type: 'string' },
} as const;

const COLUMN_KEYS = ['unit', 'time', 'event', 'properties'] as const;
const DEFAULT_COLUMNS = { unit: 'user_id', time: 'timestamp', event: 'event', properties: 'properties' };

/** `--columns unit=user_id,time=ts`: the named columns over the defaults. */
function parseColumns(text: string): Partial<Record<(typeof COLUMN_KEYS)[number], string>> {
  const columns: Partial<Record<(typeof COLUMN_KEYS)[number], string>> = {};
  for (const pair of text.split(',')) {
    const [key, value] = pair.split('=').map((s) => s.trim());
    if (!COLUMN_KEYS.includes(key as never) || !value) throw new UsageError(`--columns "${text}": each entry must be key=column with key one of ${COLUMN_KEYS.join(', ')}`);
    columns[key as (typeof COLUMN_KEYS)[number]] = value;
  }
  return columns;
}

/** `--config <file>`: a JSON object with any of table, columns, experimentPath, variantPath, durationPath. */
function configFile(file: string, cwd: string): Partial<EventsTable> & { columns?: Record<string, string> } {
  const config = jsonFileFlag('config', file, cwd);
  const isObject = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);
  if (!isObject(config) || ((config as { columns?: unknown }).columns !== undefined && !isObject((config as { columns?: unknown }).columns))) {
    throw new UsageError(`--config ${file}: must be a JSON object with any of table, columns (an object), experimentPath, variantPath, durationPath`);
  }
  return config as Partial<EventsTable> & { columns?: Record<string, string> };
}

/** `bucketry sql`: prints the query, exit 0; bad flags exit 2. */
export function sqlCommand(args: readonly string[], io: CliIo): number {
  const { values } = parseFlags('sql', args, SQL_FLAGS);
  if (values.help) return printHelp(io, SQL_HELP);
  const dialect = choiceFlag('dialect', values.dialect ?? '', WAREHOUSE_DIALECT_NAMES);
  const config = values.config === undefined ? {} : configFile(values.config, io.cwd);
  const table = values.table ?? config.table;
  if (table === undefined) throw new UsageError('--table is missing: the events table to query (or "table" in --config)');
  const columns = { ...DEFAULT_COLUMNS, ...(config.columns ?? {}), ...(values.columns === undefined ? {} : parseColumns(values.columns)) };
  const options = resolveOptions(analyzeOptionsFrom(values, io.cwd));
  const events: EventsTable = {
    table,
    ...columns,
    experimentPath: values['experiment-path'] ?? config.experimentPath ?? 'experiment',
    variantPath: values['variant-path'] ?? config.variantPath ?? 'variant',
    ...((values['duration-path'] ?? config.durationPath) === undefined ? {} : { durationPath: values['duration-path'] ?? config.durationPath }),
  };
  try {
    io.stdout.write(warehouseQuery(dialect, events, { experiment: options.experiment, variants: options.variants, metrics: options.trackedEvents }) + '\n');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return EXIT.healthy;
}
