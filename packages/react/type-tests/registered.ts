// Compiled by src/typed-keys.test.ts against the built package: an app that registers its client.
// Every @ts-expect-error must be needed, so this file compiles cleanly only if the types are right.
import { createBucketry, defineExperiment } from '@bucketry/core';
import { useExperiment, type RegisteredKey, type RegisteredVariant } from '@bucketry/react';

const bucketry = createBucketry({
  experiments: [
    defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'] }),
    defineExperiment({ key: 'checkout_button', variants: ['blue', 'green'] }),
  ],
});

declare module '@bucketry/react' {
  interface Register {
    client: typeof bucketry;
  }
}

export function Page(): string {
  const { variant } = useExperiment('skill_tree_layout');
  const layout: 'tree' | 'list' = variant;
  // @ts-expect-error the variants are tree and list only
  const grid: 'grid' = variant;
  // @ts-expect-error no such experiment
  useExperiment('skill_tree_layou');
  // @ts-expect-error the fallback must be one of the experiment's variants
  useExperiment('skill_tree_layout', 'grid');
  const { variant: button } = useExperiment('checkout_button', 'blue');
  // @ts-expect-error each experiment has its own variants
  const wrongButton: 'tree' = button;
  const key: RegisteredKey = 'checkout_button';
  // @ts-expect-error RegisteredKey is the registered keys
  const unknownKey: RegisteredKey = 'pricing_page';
  const green: RegisteredVariant<'checkout_button'> = 'green';
  return [layout, grid, wrongButton, key, unknownKey, green].join();
}
