import { createContext, createElement, useEffect, useLayoutEffect, useState, type ReactElement, type ReactNode } from 'react';
import { createExperimentStore, type ExperimentSource, type ExperimentStore } from './experiment-store.js';

/** @internal The provider's store; `null` outside any provider. */
export const ExperimentContext = createContext<ExperimentStore | null>(null);

/**
 * Props of {@link ExperimentProvider}: a `client` and the `unit` to assign on the client, or the
 * `assignments` the server decided (with an optional `sink` for their exposures), or both.
 *
 * @example
 * ```tsx
 * const props: ExperimentProviderProps = { client: bucketry, unit: user?.id ?? null, onError: (e, c) => log.warn(c.source, e) };
 * ```
 */
export interface ExperimentProviderProps extends ExperimentSource {
  readonly children?: ReactNode;
}

/**
 * Gives `useExperiment` its assignments. Either assign on the client (`client` and `unit`), or
 * show what the server decided (`assignments`, e.g. from a forwarded header, plus a `sink` if
 * the client should write the exposures). Changing `unit` (a user signs in) re-renders exactly
 * the components whose assignment changed. Nothing the sink or the client does breaks rendering:
 * failures go to `onError`.
 *
 * @example
 * ```tsx
 * import { createBucketry } from '@bucketry/core';
 * import { ExperimentProvider } from '@bucketry/react';
 *
 * const bucketry = createBucketry({ experiments: [{ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 }], sink });
 *
 * root.render(
 *   <ExperimentProvider client={bucketry} unit={user?.id ?? null}>
 *     <SkillsPage />
 *   </ExperimentProvider>,
 * );
 * // or, with what the server decided:
 * <ExperimentProvider assignments={assignmentsFromServer}>
 *   <SkillsPage />
 * </ExperimentProvider>
 * ```
 */
export function ExperimentProvider(props: ExperimentProviderProps): ReactElement {
  const [store] = useState(() => createExperimentStore(props));
  // Before paint, so a new unit never shows the old one's variant. A server has nothing to sync
  // (and React 18 warns about useLayoutEffect there); either way the hook order never changes.
  (typeof document === 'undefined' ? useEffect : useLayoutEffect)(() => {
    store.update(props);
    store.commit();
  });
  return createElement(ExperimentContext.Provider, { value: store }, props.children);
}
