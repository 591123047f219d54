// Where the example's events go, as Segment track calls: the JSONL file (EXPOSURE_LOG, the
// default) or an HTTP collector taking Segment's batch format (EXPOSURE_COLLECTOR_URL). Either way
// exposures are queued and delivered in batches, in order, retried, and anything lost is counted.
import { createBatchingSink } from '@bucketry/core';
import { createFetchSink } from '@bucketry/http';
import { exposureToSegment } from './segment.mjs';

/**
 * How a batch the file refused is retried: for up to a minute, waits doubling from 100 ms to at
 * most 2 s (full jitter), so a disk full for a moment loses nothing and one freed is written to
 * within 2 s; a batch still refused after that is dropped, counted and reported. (A collector
 * gets the fetch sink's defaults: 5 minutes, and the wait its Retry-After asks for.)
 */
const LOG_RETRY = { budgetMs: 60_000, baseDelayMs: 100, maxDelayMs: 2_000 };
/** How long an outcome request waits for the exposures queued before it to be written; then 503. */
const OUTCOME_WAIT_MS = 5_000;
/**
 * The deadline of an outcome request's flush: the longest timer. A flush that passes its deadline
 * drops what it waited for, and a request giving up must not drop exposures the retries may still
 * write; close() settles the flush (and clears its timer) long before.
 */
const NO_FLUSH_DEADLINE_MS = 2 ** 31 - 1;

/** Resolves with false after `ms` (without keeping the process up), or with what `promise` gives. */
function within(promise, ms) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** An outcome travels the exposures' queue wrapped, so the collector's body can tell the two apart. */
const toSegment = (queued) => queued.outcome ?? exposureToSegment(queued);

/**
 * The events' way out: `batching` (the exposure sink, with `stats()`), `writeOutcome(record)`
 * (resolves once recorded, rejects when it could not be) and `close({ deadlineMs })`.
 * `destination` names where events go, for messages. With `config.collectorUrl` each batch is
 * POSTed as `{"batch":[…]}` and an outcome joins the queue behind the exposures before it; else
 * `file` (jsonl-file.mjs) gets them, an outcome written once the exposures before it are.
 */
export function createEventSink(config, file, log) {
  const common = {
    maxBatchSize: 100,
    flushIntervalMs: config.flushIntervalMs,
    maxQueueSize: 50_000,
    onError: (error, info) => log(`exposures: ${info.kind} of ${info.events} events${info.reason ? ` (${info.reason})` : ''}: ${error}`),
  };
  if (config.collectorUrl) {
    const batching = createFetchSink({ ...common, url: config.collectorUrl, body: (events) => JSON.stringify({ batch: events.map(toSegment) }) });
    return {
      batching,
      destination: config.collectorUrl,
      async writeOutcome(record) {
        const { dropped } = batching.stats();
        batching.write({ outcome: record });
        if (batching.stats().dropped > dropped) throw new Error('the event queue is full or closed');
      },
      close: ({ deadlineMs } = {}) => batching.close({ deadlineMs }),
    };
  }
  const batching = createBatchingSink({ ...common, retry: LOG_RETRY, deliver: (events) => file.append(events.map(exposureToSegment)) });
  return {
    batching,
    destination: file.path,
    async writeOutcome(record) {
      // Queued exposures go first, so the export stays in time order: a reader that streams it
      // (bucketry analyze attributes a duration only to a unit already seen exposed) sees each
      // unit's exposure before its outcomes. On a disk that refuses writes the exposures wait for
      // the retries; the request does not.
      const flushed = await within(batching.flush({ deadlineMs: NO_FLUSH_DEADLINE_MS }).then(() => true), OUTCOME_WAIT_MS);
      if (!flushed) throw new Error(`the exposures queued before it were not written within ${OUTCOME_WAIT_MS} ms`);
      await file.append([record]);
    },
    async close({ deadlineMs } = {}) {
      await batching.close({ deadlineMs });
      await file.close();
    },
  };
}
