import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editedExportLine, writtenExportLine } from './export-lines.test-helper.js';
import { Field, FieldKind, LineFields } from './line-fields.js';
import { scanLineFields } from './scan-line.js';

/** Whether the scanner accepts the line, alone and inside a block with lines around it (it must agree). */
function accepts(line: string, lineEnd: '\n' | '\r\n' = '\n'): boolean {
  const fields = new LineFields();
  const bytes = Buffer.from(line);
  const alone = scanLineFields(bytes, 0, bytes.length, fields);
  const block = Buffer.from(`{"before":1}\n${line}${lineEnd}{"after":2}\n`);
  const start = block.indexOf(10) + 1;
  expect(scanLineFields(block, start, start + bytes.length, fields)).toBe(alone);
  return alone;
}

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('scanLineFields', () => {
  it('never accepts text that JSON.parse rejects (random edits of export lines)', () => {
    fc.assert(
      fc.property(editedExportLine, (text) => {
        if (!isJson(text)) expect(accepts(text, '\r\n')).toBe(false);
      }),
      { numRuns: 4000 },
    );
  });

  it('accepts valid lines whose keys have no escapes and whose kept fields appear once and hold no object or array', () => {
    const scalar = fc.oneof(fc.string({ unit: 'binary' }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
    const keptScalars = fc.record(
      { event: scalar, userId: scalar, anonymousId: scalar, unit: scalar, timestamp: scalar, event_time: scalar, experiment: scalar, variant: scalar, configVersion: scalar, duration_ms: scalar },
      { requiredKeys: [] },
    );
    const line = fc.record({
      own: keptScalars,
      properties: fc.option(keptScalars),
      extra: fc.dictionary(fc.stringMatching(/^[a-z]{1,3}$/), fc.jsonValue({ maxDepth: 4 })), // untracked keys, any JSON, escapes and all
      indent: fc.constantFrom(0, 2, '\t'),
    });
    fc.assert(
      fc.property(line, ({ own, properties, extra, indent }) => {
        const text = JSON.stringify({ ...extra, ...own, ...(properties === null ? {} : { properties }) }, null, indent).replaceAll('\n', ' ');
        expect(accepts(text)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('notes where the fields are and what they hold, in the line and in its properties', () => {
    const text = '{ "type":"track", "event":"experiment_exposure","userId":null,"anonymousId":"a-1","properties":{"experiment":"skill_tree_layout","variant":"list","bucket":7,"duration_ms":12.5,"nested":{"variant":"x"}},"timestamp":"2025-06-02T08:00:00.000Z","note":"caf\\u00e9 ü" }';
    const bytes = Buffer.from(text);
    const fields = new LineFields();
    expect(scanLineFields(bytes, 0, bytes.length, fields)).toBe(true);
    const at = (table: typeof fields.line, field: Field) => bytes.toString('latin1', table.start[field], table.end[field]);
    expect([fields.line.kind[Field.event], at(fields.line, Field.event)]).toEqual([FieldKind.Text, 'experiment_exposure']);
    expect(fields.line.kind[Field.userId]).toBe(FieldKind.Null);
    expect(at(fields.line, Field.anonymousId)).toBe('a-1');
    expect(fields.line.kind[Field.properties]).toBe(FieldKind.Object);
    expect([at(fields.properties, Field.variant), at(fields.properties, Field.duration_ms)]).toEqual(['list', '12.5']);
    expect(fields.properties.kind[Field.duration_ms]).toBe(FieldKind.Number);
    expect(fields.line.kind[Field.event_properties]).toBe(FieldKind.Absent);
    expect(at(fields.line, Field.timestamp)).toBe('2025-06-02T08:00:00.000Z');
  });

  it('declines what it leaves to JSON.parse: escaped keys, repeated fields, objects where a value is kept, deep nesting', () => {
    for (const text of [
      '{"ev\\u0065nt":"a"}',
      '{"event":"a","event":"b"}',
      '{"properties":{},"properties":{}}',
      '{"properties":{"variant":"a","variant":"b"}}',
      '{"userId":{"id":1}}',
      '{"properties":[1]}',
      `{"x":${'['.repeat(70)}${']'.repeat(70)}}`,
      '[1]',
    ]) {
      expect(isJson(text), text).toBe(true);
      expect(accepts(text), text).toBe(false);
    }
    expect(accepts('{"event":"a\\"b","note":"\\ud83d\\ude00","userId":"ü"}')).toBe(true); // such values are noted, not text
  });
});
