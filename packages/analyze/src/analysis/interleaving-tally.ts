// Interleaving's tally: the lists units were shown (interleaving exposures) and the clicks on
// them, joined into impressions with each ranker's credited clicks. Read → tally; the statistics
// are in interleaving.ts.
import { EXPOSURE_EVENT } from '@bucketry/core';
import { readExportEvent, type ExportEvent } from '../input/export-event.js';
import type { BadLineExample } from './accumulator.js';

/** The click event `bucketry analyze --interleaving` reads unless told another name. */
export const DEFAULT_CLICK_EVENT = 'item_clicked';

type Team = 'A' | 'B' | null;

/** One list shown to one unit for one query, with the clicks credited to it. */
export interface Impression {
  readonly unit: string;
  readonly query: string;
  readonly method: string;
  /** When it was first shown (epoch ms). */
  time: number;
  readonly items: readonly string[];
  readonly teams: readonly Team[];
  clicksA: number;
  clicksB: number;
  /** Clicks on an item shown with no team (after a ranking ran out). */
  clicksUncredited: number;
}

/** What the tally counted besides impressions: every line and click that did not count, by kind. */
export interface InterleavingCounts {
  lines: number;
  exposures: number;
  /** Exposures of the experiment that carry no list (not written by `expose(list)`). */
  exposuresWithoutList: number;
  /** Exposures repeating a list already seen for the unit and query (a retry, a reload). */
  repeatedExposures: number;
  clicks: number;
  /** Clicks of the experiment's units and queries credited to a team. */
  creditedClicks: number;
  uncreditedClicks: number;
  /** Clicks on an item the list they were matched to did not show. */
  clicksOnItemsNotShown: number;
  /** Clicks for a unit and query with no interleaving exposure. */
  clicksWithoutExposure: number;
  /** Clicks whose event id was seen before (a redelivered copy), counted once. */
  duplicateClicks: number;
  badLines: number;
  readonly badLinesByReason: Map<string, number>;
  readonly badLineExamples: BadLineExample[];
}

interface Click {
  readonly unit: string;
  readonly query: string;
  readonly item: string;
  readonly time: number;
}

const isTeam = (value: unknown): value is Team => value === 'A' || value === 'B' || value === null;
const show = (value: unknown): string => String(JSON.stringify(value)).slice(0, 80);

/** The list an exposure records, or why it is not one (docs/spec.md §13's InterleavingRecord). */
function listOf(record: unknown): { query: string; method: string; items: string[]; teams: Team[] } | string {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return `interleaving is ${show(record)}, must be an object with query, items and teams`;
  const { query, method, items, teams } = record as Record<string, unknown>;
  if (typeof query !== 'string') return `interleaving.query is ${show(query)}, must be a string`;
  if (method !== 'team-draft' && method !== 'balanced') return `interleaving.method is ${show(method)}, must be "team-draft" or "balanced"`;
  if (!Array.isArray(items) || items.length === 0 || !items.every((id) => typeof id === 'string' && id !== '')) {
    return `interleaving.items is ${show(items)}, must be a non-empty array of item ids`;
  }
  if (new Set(items).size !== items.length) return `interleaving.items is ${show(items)}, must not show an item twice`;
  if (!Array.isArray(teams) || teams.length !== items.length || !teams.every(isTeam)) {
    return `interleaving.teams is ${show(teams)}, must give each of the ${items.length} items "A", "B" or null`;
  }
  return { query, method, items: items as string[], teams: teams as Team[] };
}

/**
 * Tallies an interleaving experiment line by line: `line(text, n)` for each export line, then
 * `finish()` joins the clicks to the lists. A click (event `clickEvent` with properties
 * `{ experiment, query, item }`, its unit the event's) goes to the unit's list for that query
 * shown last at or before it (the first one shown, when all were shown after it: the page's clock
 * and the server's differ); the item's team there gets the credit.
 */
export class InterleavingTally {
  readonly counts: InterleavingCounts = {
    lines: 0,
    exposures: 0,
    exposuresWithoutList: 0,
    repeatedExposures: 0,
    clicks: 0,
    creditedClicks: 0,
    uncreditedClicks: 0,
    clicksOnItemsNotShown: 0,
    clicksWithoutExposure: 0,
    duplicateClicks: 0,
    badLines: 0,
    badLinesByReason: new Map(),
    badLineExamples: [],
  };
  /** Each unit and query's lists, keyed by JSON [unit, query]. */
  private readonly lists = new Map<string, Impression[]>();
  private readonly clicks: Click[] = [];
  private readonly clickIds = new Set<string>();

  constructor(
    private readonly experiment: string,
    private readonly clickEvent: string = DEFAULT_CLICK_EVENT,
    private readonly maxExamples = 20,
    private readonly onBadLine?: (line: number, reason: string) => void,
  ) {}

  private bad(lineNumber: number, category: string, reason: string): void {
    const { counts } = this;
    counts.badLines++;
    counts.badLinesByReason.set(category, (counts.badLinesByReason.get(category) ?? 0) + 1);
    if (counts.badLineExamples.length < this.maxExamples) counts.badLineExamples.push({ line: lineNumber, reason });
    this.onBadLine?.(lineNumber, reason);
  }

  /** A line longer than the reader keeps, skipped. */
  tooLong(lineNumber: number): void {
    this.counts.lines++;
    this.bad(lineNumber, 'line too long', 'line too long, skipped');
  }

  line(text: string, lineNumber: number): void {
    this.counts.lines++;
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return this.bad(lineNumber, 'not JSON', `not JSON (${(error as Error).message})`);
    }
    const event = readExportEvent(parsed);
    if ('category' in event) return this.bad(lineNumber, event.category, event.message);
    if (event.properties.experiment !== this.experiment) return;
    if (event.name === EXPOSURE_EVENT) this.exposure(event, lineNumber);
    else if (event.name === this.clickEvent) this.click(event, lineNumber);
  }

  private exposure(event: ExportEvent, lineNumber: number): void {
    this.counts.exposures++;
    if (event.properties.interleaving === undefined) {
      this.counts.exposuresWithoutList++;
      return;
    }
    const list = listOf(event.properties.interleaving);
    if (typeof list === 'string') return this.bad(lineNumber, 'bad interleaving', list);
    const key = JSON.stringify([event.unit, list.query]);
    let shown = this.lists.get(key);
    if (shown === undefined) this.lists.set(key, (shown = []));
    const same = shown.find((seen) => seen.items.length === list.items.length && seen.items.every((id, i) => id === list.items[i] && seen.teams[i] === list.teams[i]));
    if (same !== undefined) {
      this.counts.repeatedExposures++;
      same.time = Math.min(same.time, event.time);
      return;
    }
    shown.push({ unit: event.unit, query: list.query, method: list.method, time: event.time, items: list.items, teams: list.teams, clicksA: 0, clicksB: 0, clicksUncredited: 0 });
  }

  private click(event: ExportEvent, lineNumber: number): void {
    const { query, item } = event.properties;
    if (typeof query !== 'string') return this.bad(lineNumber, 'bad click', `${this.clickEvent}: properties.query is ${show(query)}, must be the query of the list clicked`);
    if (typeof item !== 'string' || item === '') return this.bad(lineNumber, 'bad click', `${this.clickEvent}: properties.item is ${show(item)}, must be the id of the item clicked`);
    if (event.id !== undefined) {
      if (this.clickIds.has(event.id)) {
        this.counts.duplicateClicks++;
        return;
      }
      this.clickIds.add(event.id);
    }
    this.counts.clicks++;
    this.clicks.push({ unit: event.unit, query, item, time: event.time });
  }

  /** Joins the clicks to the lists; returns every impression. Call once, after the last line. */
  finish(): Impression[] {
    const { counts } = this;
    for (const shown of this.lists.values()) shown.sort((a, b) => a.time - b.time);
    for (const click of this.clicks) {
      const shown = this.lists.get(JSON.stringify([click.unit, click.query]));
      if (shown === undefined) {
        counts.clicksWithoutExposure++;
        continue;
      }
      let impression = shown[0]!;
      for (const candidate of shown) if (candidate.time <= click.time) impression = candidate;
      const position = impression.items.indexOf(click.item);
      if (position === -1) counts.clicksOnItemsNotShown++;
      else if (impression.teams[position] === 'A') impression.clicksA++;
      else if (impression.teams[position] === 'B') impression.clicksB++;
      else impression.clicksUncredited++;
    }
    const impressions = [...this.lists.values()].flat();
    for (const impression of impressions) {
      counts.creditedClicks += impression.clicksA + impression.clicksB;
      counts.uncreditedClicks += impression.clicksUncredited;
    }
    this.clicks.length = 0;
    return impressions;
  }
}
