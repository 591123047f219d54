import { useExperiment } from '@bucketry/react';

/** The header's note of the layout in use (a second reader of the experiment, as a real page has). */
export function LayoutBadge() {
  const { variant, inExperiment, reason } = useExperiment('skill_tree_layout', 'tree');
  return (
    <span data-testid="layout-badge" data-variant={variant} data-reason={reason} title={inExperiment ? 'in the experiment' : `not in the experiment (${reason})`}>
      {variant === 'list' ? 'List layout' : 'Tree layout'}
    </span>
  );
}

/** A hint shown under the skills to users of the new layout (a third reader). */
export function LayoutHint() {
  const { variant } = useExperiment('skill_tree_layout', 'tree');
  return (
    <p data-testid="layout-hint" data-variant={variant}>
      {variant === 'list' ? 'New: every skill in one list, with what to learn first.' : 'Each skill sits under the one it builds on.'}
    </p>
  );
}
