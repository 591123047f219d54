// Where the fields the analysis reads are in a line: what the scanner (scan-line.ts) notes and the
// classifier reads back.

/** What a field holds. */
export const FieldKind = {
  Absent: 0,
  /** A string without escapes, all ASCII: its bytes are its text. */
  Text: 1,
  /** A string with an escape or a non-ASCII character. */
  OtherString: 2,
  Number: 3,
  Null: 4,
  Boolean: 5,
  /** An object (`properties`, `event_properties` only; elsewhere the line is declined). */
  Object: 6,
} as const;
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

/** Fields the scanner notes, by id: ids 1–6 are also looked for inside `properties` and `event_properties`. */
export const Field = {
  experiment: 1,
  variant: 2,
  configVersion: 3,
  flag_key: 4,
  duration_ms: 5,
  latency_ms: 6,
  event: 7,
  event_type: 8,
  userId: 9,
  anonymousId: 10,
  user_id: 11,
  device_id: 12,
  unit: 13,
  timestamp: 14,
  originalTimestamp: 15,
  event_time: 16,
  time: 17,
  /** Event ids: Segment's, Bucketry's, Amplitude's (its HTTP API's name, then its export's). */
  messageId: 18,
  eventId: 19,
  insert_id: 20,
  $insert_id: 21,
  properties: 22,
  event_properties: 23,
} as const;
export type Field = (typeof Field)[keyof typeof Field];
/** `properties` and `event_properties` are the last ids: the line's table alone notes them. */
export const LAST_FIELD = Field.event_properties;
const FIELD_COUNT = LAST_FIELD + 1;
/** Fields up to this one are also noted inside `properties` and `event_properties`. */
export const LAST_PROPERTY_FIELD = Field.latency_ms;

/** Where the fields are in a line: one table for the line's own fields, one per properties object. */
export class FieldTable {
  constructor(
    /** The last field id noted here: all in the line's own table, the property fields (ids 1–6) in a properties object's. */
    readonly lastField: number,
    /** The line's own table holds the tables of its `properties` and `event_properties` objects. */
    readonly properties?: FieldTable,
    readonly eventProperties?: FieldTable,
  ) {}

  readonly kind = new Uint8Array(FIELD_COUNT);
  /** For a string, its text's first byte (after the quote); else the value's. */
  readonly start = new Int32Array(FIELD_COUNT);
  /** For a string, just before the closing quote; else just past the value. */
  readonly end = new Int32Array(FIELD_COUNT);

  clear(): void {
    this.kind.fill(FieldKind.Absent);
  }

  /** Whether the field holds text, and of at least one character. */
  hasText(field: Field): boolean {
    return this.kind[field] === FieldKind.Text && this.end[field]! > this.start[field]!;
  }
}

/**
 * The fields {@link scanLineFields} found in one line: the line's own, and those of its
 * `properties` and `event_properties` objects. Reused line to line.
 *
 * @example
 * ```ts
 * const fields = new LineFields();
 * if (scanLineFields(bytes, 0, bytes.length, fields)) fields.line.kind[Field.userId]; // FieldKind.Text
 * ```
 */
export class LineFields {
  readonly properties = new FieldTable(LAST_PROPERTY_FIELD);
  readonly eventProperties = new FieldTable(LAST_PROPERTY_FIELD);
  readonly line = new FieldTable(LAST_FIELD, this.properties, this.eventProperties);
}
