import { ErrorCode, StandardResolutionReasons, type EvaluationContext, type FlagValueType, type ResolutionDetails } from '@openfeature/core';
import type { Assignment, AssignmentReason, Bucketry, Experiment, Unit } from '@bucketry/core';

/** The unit of a context: the option's function, else `targetingKey`. @internal */
export type UnitOf = (context: EvaluationContext) => Unit | null | undefined;

export const targetingKeyUnit: UnitOf = (context) => context.targetingKey;

// OpenFeature's reasons for Bucketry's (the mapping); `server` and `error` never reach it.
const REASONS: Readonly<Record<AssignmentReason, string>> = {
  bucketed: StandardResolutionReasons.SPLIT,
  sticky: StandardResolutionReasons.SPLIT,
  override: StandardResolutionReasons.TARGETING_MATCH,
  disabled: StandardResolutionReasons.DISABLED,
  ineligible: StandardResolutionReasons.DEFAULT,
  traffic: StandardResolutionReasons.DEFAULT,
  holdout: StandardResolutionReasons.DEFAULT,
  layer: StandardResolutionReasons.DEFAULT,
  server: StandardResolutionReasons.DEFAULT,
  missing_unit: StandardResolutionReasons.ERROR,
  error: StandardResolutionReasons.ERROR,
};

const failed = <T>(value: T, errorCode: ErrorCode, errorMessage: string): ResolutionDetails<T> => ({
  value,
  reason: StandardResolutionReasons.ERROR,
  errorCode,
  errorMessage,
});

const text = (error: unknown): string => (error instanceof Error ? error.message : String(error));

// OpenFeature's object flags are JSON objects and arrays; the other types are JavaScript's.
const hasType = (value: unknown, type: FlagValueType): boolean =>
  type === 'object' ? typeof value === 'object' && value !== null : typeof value === type;

/** Attributes for eligibility: the context without `targetingKey`. */
function attributesOf(context: EvaluationContext): EvaluationContext {
  if (!('targetingKey' in context)) return context;
  const { targetingKey: _, ...attributes } = context;
  return attributes;
}

/**
 * One flag evaluation, shared by the server and web providers: the experiment's assignment for
 * the context's unit (peeked: nothing is exposed here), as OpenFeature's resolution details.
 * Never throws: every failure is the caller's default with an error code. `onResolved` gets the
 * assignment behind a successful resolution, for the exposure once the SDK has returned it.
 * @internal
 */
export function resolveFlag<T>(
  client: Bucketry,
  unitOf: UnitOf,
  flagKey: string,
  type: FlagValueType,
  defaultValue: T,
  context: EvaluationContext,
  onResolved: (assignment: Assignment) => void,
): ResolutionDetails<T> {
  let experiment: Experiment;
  try {
    experiment = client.experiment(flagKey);
  } catch {
    return failed(defaultValue, ErrorCode.FLAG_NOT_FOUND, `no Bucketry experiment has the key ${JSON.stringify(flagKey)}`);
  }
  let unit: Unit | null | undefined;
  try {
    unit = unitOf(context);
  } catch (error) {
    return failed(defaultValue, ErrorCode.PARSE_ERROR, `the unit option threw for flag ${JSON.stringify(flagKey)}: ${text(error)}`);
  }
  const assignment = client.peek(flagKey, unit, attributesOf(context));
  if (assignment.reason === 'missing_unit') {
    return failed(defaultValue, ErrorCode.TARGETING_KEY_MISSING, `flag ${JSON.stringify(flagKey)} needs a unit: the context's targetingKey (or the unit option) gave ${JSON.stringify(unit) ?? 'undefined'}`);
  }
  if (assignment.reason === 'error') {
    return failed(defaultValue, ErrorCode.PARSE_ERROR, `flag ${JSON.stringify(flagKey)} could not be assigned: ${text(assignment.error)}`);
  }
  // An experiment without values resolves to its variant's name.
  const value = experiment.values === undefined ? assignment.variant : assignment.value;
  if (!hasType(value, type)) {
    return failed(defaultValue, ErrorCode.TYPE_MISMATCH, `flag ${JSON.stringify(flagKey)} is asked for as ${type}, but variant ${JSON.stringify(assignment.variant)} has the value ${JSON.stringify(value)}`);
  }
  onResolved(assignment);
  return {
    value: value as T,
    variant: assignment.variant,
    reason: REASONS[assignment.reason],
    flagMetadata: { experiment: assignment.experiment, bucket: assignment.bucket, configVersion: experiment.version },
  };
}
