/** What the cache knows of one unit: its variants by experiment, and whether they came from the store. */
export interface UnitRecords {
  /**
   * True once the unit's records were read from the store: `variants` then holds every record the
   * store had, plus those set since. False while it holds only variants set here.
   */
  loaded: boolean;
  readonly variants: Map<string, string>;
}

/**
 * A bounded cache of units' records, least recently used out first. `peek` does not count as a
 * use (it runs on every assignment); `touch` and `entry` do (they run once per request).
 */
export interface UnitCache {
  readonly size: number;
  /** The unit's records, without changing its place. */
  peek(unit: string): UnitRecords | undefined;
  /** The unit's records, now the most recently used. */
  touch(unit: string): UnitRecords | undefined;
  /** The unit's records, created (not loaded, empty) when missing; now the most recently used. */
  entry(unit: string): UnitRecords;
}

/** A {@link UnitCache} of at most `limit` units. */
export function createUnitCache(limit: number): UnitCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const units = new Map<string, UnitRecords>();
  const touch = (unit: string): UnitRecords | undefined => {
    const found = units.get(unit);
    if (found !== undefined) {
      units.delete(unit);
      units.set(unit, found);
    }
    return found;
  };
  return {
    get size() {
      return units.size;
    },
    peek: (unit) => units.get(unit),
    touch,
    entry(unit) {
      let found = touch(unit);
      if (found === undefined) {
        if (units.size >= limit) units.delete(units.keys().next().value!);
        units.set(unit, (found = { loaded: false, variants: new Map() }));
      }
      return found;
    },
  };
}
