import type { EvaluationContext, EvaluationDetails, FlagValue, HookContext } from '@openfeature/core';
import type { Assignment, Bucketry } from '@bucketry/core';
import { resolveFlag, type UnitOf } from './resolve.js';

/**
 * Exposures for what the SDK actually returned. A resolver only peeks; this provider hook's
 * `finally` runs once the SDK has its final details (after every `after` hook), and writes the
 * exposure through the client (its sink and dedupe, units in the experiment only) when the
 * caller got the resolved variant, not the default (a TYPE_MISMATCH, an `after` hook that threw).
 * @internal
 */
export function createExposures(client: Bucketry, unitOf: UnitOf) {
  // The SDKs hand the resolver and the hooks the same context object; keyed by it, a pending
  // assignment is found without deciding twice.
  const pending = new WeakMap<EvaluationContext, Map<string, Assignment>>();
  const remember = (context: EvaluationContext, flagKey: string, assignment: Assignment): void => {
    let byFlag = pending.get(context);
    if (!byFlag) pending.set(context, (byFlag = new Map()));
    byFlag.set(flagKey, assignment);
  };
  const exposeIfReturned = (assignment: Assignment, details: EvaluationDetails<FlagValue>): void => {
    if (details.errorCode === undefined && details.variant === assignment.variant) client.expose(assignment);
  };
  return {
    remember,
    hook: {
      finally(hookContext: HookContext, details: EvaluationDetails<FlagValue>): void {
        const byFlag = pending.get(hookContext.context);
        const assignment = byFlag?.get(details.flagKey);
        if (assignment) {
          byFlag!.delete(details.flagKey);
          exposeIfReturned(assignment, details);
        } else if (details.errorCode === undefined && details.variant !== undefined) {
          // A context that is not the resolver's (an SDK that copies it): decide again rather than lose the exposure.
          resolveFlag(client, unitOf, details.flagKey, hookContext.flagValueType, details.value, hookContext.context, (again) => exposeIfReturned(again, details));
        }
      },
    },
  };
}
