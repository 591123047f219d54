import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { editedExportLine, writtenExportLine } from '../input/export-lines.test-helper.js';
import { LineClassifier } from './classify.js';
import { Count, LineRecords, RecordKind } from './line-records.js';
import { resolveOptions } from './options.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

// 3,000 random blocks through both paths: seconds of CPU, more on a busy machine.
useSlowTestTimeouts();

const options = resolveOptions({
  experiment: 'skill_tree_layout',
  variants: ['tree', 'list'],
  metrics: ['session_started_from_tree'],
  guardrails: [{ type: 'rate', metric: 'skill_tree_error', hold: 0.02, rollback: 0.05 }],
});
// One seed, so that both give an event id the same fingerprint.
const scanning = new LineClassifier({ ...options, eventIdSeed: 7 });
const parsing = new LineClassifier({ ...options, eventIdSeed: 7 }, false);

/** The records of a block, as plain data. */
function recordsOf(classifier: LineClassifier, block: Buffer) {
  const records = new LineRecords();
  classifier.classify(block, records);
  return {
    counts: [...records.counts],
    records: Array.from({ length: records.count }, (_, r) => {
      const kind = records.kind(r);
      const string = (i: number) => records.strings[i];
      return {
        kind,
        line: records.line(r),
        a: kind === RecordKind.Bad || kind === RecordKind.OtherExperiment || kind === RecordKind.Duration ? string(records.a(r)) : records.a(r),
        b: kind === RecordKind.Bad || kind === RecordKind.Exposure ? string(records.b(r)) : records.b(r),
        unit: Buffer.from(records.unitBytes.subarray(records.unitStart(r), records.unitEnd(r))).toString('hex'),
        time: records.time(r),
        value: records.value(r),
        eventId: records.hasEventId(r) ? [records.eventIdA(r), records.eventIdB(r)] : undefined,
      };
    }),
  };
}

afterEach(() => vi.restoreAllMocks());

describe('LineClassifier', () => {
  it('records the same from the scanner as from JSON.parse, on random export lines in blocks (CRLF, blank lines)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(writtenExportLine, writtenExportLine, editedExportLine, fc.constant('')), { minLength: 1, maxLength: 6 }), fc.boolean(), (lines, crlf) => {
        const block = Buffer.from(lines.join(crlf ? '\r\n' : '\n') + '\n');
        expect(recordsOf(scanning, block)).toEqual(recordsOf(parsing, block));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads the plain lines exports are made of without JSON.parse', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const plain = fc.record({
      name: fc.constantFrom('experiment_exposure', 'session_started_from_tree', 'skill_tree_loaded', 'skill_tree_error'),
      user: fc.stringMatching(/^[a-z0-9_-]{1,40}$/),
      ms: fc.integer({ min: 1e12, max: 2e12 }),
      variant: fc.constantFrom('tree', 'list'),
      duration: fc.integer({ min: 0, max: 1e6 }),
    });
    fc.assert(
      fc.property(plain, ({ name, user, ms, variant, duration }) => {
        const iso = new Date(ms).toISOString();
        const lines = [
          JSON.stringify({ type: 'track', event: name, userId: user, properties: { experiment: 'skill_tree_layout', variant, duration_ms: duration, nested: { a: [1, 'x'] } }, timestamp: iso, messageId: `m-${user}` }),
          JSON.stringify({ event_type: name === 'experiment_exposure' ? '$exposure' : name, user_id: null, device_id: user, event_time: iso.replace('T', ' ').replace('Z', '000'), event_properties: { flag_key: 'skill_tree_layout', variant }, $insert_id: `a-${user}` }),
          JSON.stringify({ event: name, unit: user, experiment: 'skill_tree_layout', variant, timestamp: iso, configVersion: 'v1', eventId: `b-${user}` }),
        ];
        const block = Buffer.from(lines.join('\n') + '\n');
        parse.mockClear();
        const records = recordsOf(scanning, block);
        expect(parse).not.toHaveBeenCalled(); // Segment, Amplitude and Bucketry lines alike...
        expect(records.records.every((r) => r.kind !== RecordKind.Bad && r.eventId !== undefined)).toBe(true);
        expect(records).toEqual(recordsOf(parsing, block));
        expect(parse).toHaveBeenCalledTimes(lines.length - records.counts[Count.UnrelatedLines]!); // ...where the reference parses every line it reads
      }),
    );
  });
});
