'use client';

import { useExperiment } from '@bucketry/react';
import { useEffect, useState } from 'react';

/** A client component: it reads the variant the server bootstrapped, so it never shows another one. */
export function LayoutBadge() {
  const { variant } = useExperiment('skill_tree_layout', 'tree');
  // Set once React has hydrated the page, so a test (or a curious reader) can tell.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <p data-testid="layout-badge" data-hydrated={hydrated}>
      Showing the {variant} layout
    </p>
  );
}
