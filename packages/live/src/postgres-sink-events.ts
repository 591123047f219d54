import { EXPOSURE_EVENT, ExperimentConfigError, newEventId, type ExposureEvent } from '@bucketry/core';

/**
 * A metric event for {@link PostgresSink.track}: something a unit did (a purchase, an error, a
 * page's load time), stored in the same table as the exposures so that the analysis and
 * `bucketry guard` read both.
 *
 * @example
 * ```ts
 * const event: MetricEvent = { event: 'purchase', unit: 'user-42', properties: { revenue: 12.5, currency: 'EUR' } };
 * ```
 */
export interface MetricEvent {
  /** The event's name, as `--metric` and guardrails name it; not `experiment_exposure`. */
  readonly event: string;
  /** The unit, as the experiments key it (the user id that `assign` got). */
  readonly unit: string;
  /** Numbers and text the analysis reads (`--value purchase.revenue`); any JSON object. */
  readonly properties?: Readonly<Record<string, unknown>>;
  /** When it happened: a Date, an ISO 8601 string or ms since the epoch. Default: now. */
  readonly timestamp?: Date | string | number;
  /** Its id, for an event you may send twice (a retried job): one row per id. Default: a new UUID. */
  readonly eventId?: string;
}

/** One row of the events table, as the sink queues it: an exposure, or a metric with its properties as JSON. */
export interface EventRow {
  readonly eventId: string;
  readonly event: string;
  readonly timestamp: string;
  readonly unit: string;
  readonly experiment?: string;
  readonly variant?: string;
  readonly reason?: string;
  readonly bucket?: number;
  readonly configVersion?: string;
  /** JSON text of a metric's properties. */
  readonly propertiesJson?: string | null;
}

const CONTEXT = 'createPostgresSink(…).track';

/** PostgreSQL's text and jsonb cannot hold U+0000: stored as U+FFFD, or the whole batch would fail on every retry. */
export const storable = (text: string): string => (text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text);

/** Strings and keys made storable as JSON.stringify goes. */
const storableJson = (_key: string, value: unknown): unknown =>
  typeof value === 'string'
    ? storable(value)
    : value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).map(([key, item]) => [storable(key), item]))
      : value;

/** An exposure as it is queued; one written without an id (an old core) gets one now, so its retries keep it. */
export const exposureRow = (event: ExposureEvent): ExposureEvent => (typeof event.eventId === 'string' && event.eventId ? event : { ...event, eventId: newEventId() });

/** A metric event checked and made a row; bad input throws an ExperimentConfigError naming the field. */
export function metricRow(metric: MetricEvent): EventRow {
  const fail = (field: string, value: unknown, rule: string): never => {
    throw new ExperimentConfigError(field, value, rule, CONTEXT);
  };
  if (metric === null || typeof metric !== 'object') fail('event', metric, 'must be an object with event and unit');
  const { event, unit, properties, timestamp, eventId } = metric;
  if (typeof event !== 'string' || event === '') fail('event', event, 'must be a non-empty string');
  if (event === EXPOSURE_EVENT) fail('event', event, 'must not be the exposure event: exposures come from createBucketry');
  if (typeof unit !== 'string' || unit === '') fail('unit', unit, 'must be a non-empty string');
  if (eventId !== undefined && (typeof eventId !== 'string' || eventId === '')) fail('eventId', eventId, 'must be a non-empty string when given');
  if (properties !== undefined && (properties === null || typeof properties !== 'object' || Array.isArray(properties))) {
    fail('properties', properties, 'must be an object when given');
  }
  let propertiesJson: string | null = null;
  try {
    if (properties !== undefined) propertiesJson = JSON.stringify(properties, storableJson);
  } catch (error) {
    fail('properties', properties, `must be JSON (${String(error)})`);
  }
  const at = timestamp === undefined ? new Date() : new Date(timestamp);
  if (Number.isNaN(at.getTime()) || (typeof timestamp === 'string' && !/^\d{4}-\d\d-\d\dT/.test(timestamp))) {
    fail('timestamp', timestamp, 'must be a Date, an ISO 8601 string or ms since the epoch');
  }
  return { eventId: eventId ?? newEventId(), event, timestamp: at.toISOString(), unit, propertiesJson };
}

/** The insert's columns, in its order, for a batch of exposures (from core) and metric rows (from track). */
export function eventColumns(batch: readonly (ExposureEvent | EventRow)[]): unknown[][] {
  const rows = batch as readonly Partial<ExposureEvent & EventRow>[];
  const text = (pick: (row: Partial<ExposureEvent & EventRow>) => string | undefined) => rows.map((row) => {
    const value = pick(row);
    return value === undefined ? null : storable(value);
  });
  return [
    text((r) => r.eventId),
    text((r) => r.event),
    rows.map((r) => r.timestamp),
    text((r) => r.unit),
    text((r) => r.experiment),
    text((r) => r.variant),
    text((r) => r.reason),
    rows.map((r) => r.bucket ?? null),
    text((r) => r.configVersion),
    // An interleaving exposure's list (items and teams) goes in properties, which the README's
    // export spreads back beside the exposure's fields: the line is the exposure as it was written.
    rows.map((r) => r.propertiesJson ?? (r.interleaving === undefined ? null : JSON.stringify({ interleaving: r.interleaving }, storableJson))),
  ];
}
