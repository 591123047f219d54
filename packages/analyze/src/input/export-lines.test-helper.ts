// Random export lines for property tests: Segment, Amplitude and Bucketry lines, fields in any
// order, now and then an odd, repeated or nested field, written with varying whitespace, escapes
// and number forms, so that the scanner and JSON.parse can be compared on them.
import fc from 'fast-check';

export const PROPERTY_FIELDS = ['experiment', 'variant', 'configVersion', 'flag_key', 'duration_ms', 'latency_ms'] as const;
const TOP_FIELDS = ['event', 'event_type', 'userId', 'anonymousId', 'user_id', 'device_id', 'unit', 'timestamp', 'originalTimestamp', 'event_time', 'time', 'properties', 'event_properties', 'messageId', 'eventId', 'insert_id', '$insert_id'];

// JSON text written by hand, so keys can repeat and escapes and whitespace vary.
export type Json = null | boolean | number | string | Json[] | { readonly entries: readonly (readonly [string, Json])[] };

const jsonString = fc.oneof(
  fc.constantFrom('experiment_exposure', 'skill_tree_layout', 'tree', 'list', 'grid', '', 'u1', '$exposure', 'session_started_from_tree'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }), // any code point, non-ASCII included
  fc.string({ unit: fc.constantFrom('a', '"', '\\', '/', '\u0000', '\u001f', '\t', '\u007f', '\u00e9', '\ud83d', '\ude00'), maxLength: 6 }),
);
const timestamp = fc.oneof(
  fc.integer({ min: -2e12, max: 5e12 }).map((ms) => new Date(ms).toISOString()),
  fc.integer({ min: 0, max: 4e12 }).map((ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '000')),
  fc.integer({ min: 0, max: 4e12 }).map((ms) => new Date(ms).toISOString().slice(0, 19)),
  fc.constantFrom('2025-02-29T00:00:00.000Z', '2024-02-29 10:00:00', '2025-06-02T08:00:00+02:00', '2025-06-31T00:00:00Z', 'yesterday', '2025-06-02T08:00:00.12Z'),
);
const number = fc.oneof(
  fc.integer({ min: -1e6, max: 1e16 }),
  fc.bigInt({ min: 10n ** 14n, max: 10n ** 20n }).map(Number), // 15 to 21 digits: past 2^53, digit arithmetic would round
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, 5e-324, 2 ** 53 + 1),
);
const scalar: fc.Arbitrary<Json> = fc.oneof(jsonString, timestamp, number, fc.boolean(), fc.constant(null));

const { value: anyJson } = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(fc.oneof(jsonString, fc.constantFrom(...PROPERTY_FIELDS)), tie('value')), { maxLength: 4 }).map((entries) => ({ entries })),
  ),
}));

const member = (keys: fc.Arbitrary<string>, values: fc.Arbitrary<Json>) => fc.tuple(keys, values);
const mostly = <T,>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) => fc.oneof({ arbitrary: usual, weight: 4 }, { arbitrary: odd, weight: 1 });
const unit = mostly<Json>(fc.stringMatching(/^[a-zA-Z0-9_-]{1,36}$/), fc.oneof(jsonString, number, number, fc.constant(null)));
const eventName = mostly<Json>(fc.constantFrom('experiment_exposure', '$exposure', 'session_started_from_tree', 'skill_tree_loaded', 'page_viewed'), scalar);
const time = mostly<Json>(timestamp, scalar);
/** An event id: mostly a UUID-like string, now and then any string (escapes, "") or another value. */
const eventId = mostly<Json>(fc.stringMatching(/^[0-9a-f-]{1,36}$/), fc.oneof(jsonString, scalar));
const propertiesObject = fc
  .tuple(
    fc.record({
      experiment: mostly<Json>(fc.constantFrom('skill_tree_layout', 'checkout'), scalar),
      variant: mostly<Json>(fc.constantFrom('tree', 'list'), scalar),
      configVersion: mostly<Json>(fc.stringMatching(/^[0-9a-f]{8}$/), scalar),
      flag_key: mostly<Json>(fc.constant('skill_tree_layout'), scalar),
      duration_ms: mostly<Json>(fc.nat(), number),
      latency_ms: mostly<Json>(fc.nat(), scalar),
    }, { requiredKeys: [] }),
    fc.array(member(fc.oneof(fc.constantFrom(...PROPERTY_FIELDS, '__proto__', 'path', 'reason'), jsonString), anyJson), { maxLength: 2 }),
  )
  .map(([known, extra]): Json => ({ entries: [...Object.entries(known), ...extra] }));
const segment = fc.record({ type: fc.constant('track'), event: eventName, userId: unit, anonymousId: unit, properties: mostly<Json>(propertiesObject, anyJson), timestamp: time, originalTimestamp: time, messageId: eventId }, { requiredKeys: ['event', 'timestamp'] });
const amplitude = fc.record({ event_type: eventName, user_id: unit, device_id: unit, event_time: time, time, event_properties: mostly<Json>(propertiesObject, anyJson), insert_id: eventId, $insert_id: eventId }, { requiredKeys: ['event_type'] });
const bucketry = fc.record(
  { event: eventName, unit, experiment: mostly<Json>(fc.constantFrom('skill_tree_layout', 'checkout'), scalar), variant: mostly<Json>(fc.constantFrom('tree', 'list'), scalar), configVersion: scalar, timestamp: time, duration_ms: mostly<Json>(fc.nat(), scalar), eventId },
  { requiredKeys: ['event', 'unit'] },
);
/** A Segment, Amplitude or Bucketry line, fields in any order, with now and then an odd or repeated field. */
const exportLine = fc
  .tuple(fc.oneof(segment, amplitude, bucketry), fc.array(member(fc.oneof(fc.constantFrom(...TOP_FIELDS, ...PROPERTY_FIELDS, 'type'), jsonString), anyJson), { maxLength: 2 }))
  .chain(([fields, extra]) => fc.shuffledSubarray([...Object.entries(fields), ...extra] as [string, Json][], { minLength: Object.keys(fields).length + extra.length }))
  .map((entries): Json => ({ entries }));

/** How one piece of JSON text is written: whitespace around tokens, escapes for plain characters, number forms. */
interface Style {
  readonly space: () => string;
  /** Whether to escape the next plain ASCII character. */
  readonly escape: () => boolean;
  readonly numberForm: number;
}

function writeString(text: string, style: Style): string {
  let out = '"';
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (code < 0x20) out += '\\u' + code.toString(16).padStart(4, '0');
    else if (code < 0x80 && style.escape()) out += c === '/' ? '\\/' : '\\u' + code.toString(16).padStart(4, '0');
    else out += c;
  }
  return out + '"';
}

function writeNumber(n: number, style: Style): string {
  const text = JSON.stringify(n);
  if (style.numberForm === 1 && Number.isInteger(n) && Math.abs(n) < 1e15) return `${text}.0`;
  if (style.numberForm === 2 && Number.isInteger(n) && Math.abs(n) < 1e15) return `${text}E+0`;
  return text;
}

function write(value: Json, style: Style): string {
  const s = style.space;
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return writeNumber(value, style);
  if (typeof value === 'string') return writeString(value, style);
  if (Array.isArray(value)) return `[${s()}${value.map((v) => write(v, style) + s()).join(',' + s())}]`;
  return `{${s()}${value.entries.map(([k, v]) => `${writeString(k, style)}${s()}:${s()}${write(v, style)}${s()}`).join(',' + s())}}`;
}

const style = fc.record({
  spaces: fc.array(fc.constantFrom('', '', '', ' ', '\t', '\r', '  '), { minLength: 1, maxLength: 8 }),
  escapes: mostly<boolean[]>(fc.constant([false]), fc.array(fc.constantFrom(false, false, false, false, false, false, false, false, false, true), { minLength: 1, maxLength: 8 })),
  numberForm: fc.integer({ min: 0, max: 2 }),
});
export const writtenExportLine = fc.tuple(exportLine, style).map(([value, { spaces, escapes, numberForm }]) => {
  let i = 0;
  let j = 0;
  return write(value, { space: () => spaces[i++ % spaces.length]!, escape: () => escapes[j++ % escapes.length]!, numberForm });
});


/** A line with up to three random edits (deleted, inserted, replaced characters, cut short): often no longer JSON. */
export const editedExportLine = fc
  .tuple(
    writtenExportLine,
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'truncate', 'replace'), fc.constantFrom('"', '\\', ',', ':', '{', '}', '[', ']', 'x', '0', '-', '.', 'e', ' ', '\u0001', 'é', 'n')), { minLength: 1, maxLength: 3 }),
  )
  .map(([line, edits]) => {
    let text = line;
    for (const [at, kind, c] of edits) {
      const i = at % (text.length + 1);
      text = kind === 'delete' ? text.slice(0, i) + text.slice(i + 1) : kind === 'insert' ? text.slice(0, i) + c + text.slice(i) : kind === 'truncate' ? text.slice(0, i) : text.slice(0, i) + c + text.slice(i + 1);
    }
    return text;
  });
