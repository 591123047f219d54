// How big a configuration may be (docs/spec.md §5.6). Past these it is refused like any other
// invalid configuration, before the work its size would cost: no rule sends validation into a
// stack overflow, or into a loop over the 2^32 - 1 slots of a sparse array. Separate constants,
// so that a bundle keeps only those it uses.

/** Levels of nesting: the configuration is level 1, its fields' values level 2, and so on. @internal */
export const MAX_DEPTH = 64;
/** JSON values in a whole configuration: every object, array, string, number, boolean and null. @internal */
export const MAX_VALUES = 100_000;
/** UTF-16 code units in any string of a configuration: a value, or a key of a map. @internal */
export const MAX_TEXT = 1_024;
/** Variants of an experiment (and so weights). @internal */
export const MAX_VARIANTS = 1_000;
