// Compiled by src/typed-keys.test.ts with openfeature-flags.d.ts, against the built package and the
// real SDK types: an app that types its flag keys through OpenFeature's own module augmentation.
// Every @ts-expect-error must be needed, so this file compiles cleanly only if a misspelled key is refused.
import { OpenFeature } from '@openfeature/server-sdk';
import { createBucketry } from '@bucketry/core';
import { BucketryProvider } from '@bucketry/openfeature';

const bucketry = createBucketry({
  experiments: [
    { key: 'new_checkout', variants: ['off', 'on'], rollout: 25, values: { off: false, on: true } },
    { key: 'banner_copy', variants: ['plain', 'bold'] },
    { key: 'price_tier', variants: ['standard', 'discount'], values: { standard: 10, discount: 8 } },
    { key: 'skill_tree_layout', variants: ['tree', 'list'], values: { tree: { columns: 3 }, list: { columns: 1 } } },
  ],
});

export async function checkout(): Promise<unknown[]> {
  await OpenFeature.setProviderAndWait(new BucketryProvider(bucketry));
  const client = OpenFeature.getClient();
  const context = { targetingKey: 'user-42' };
  return [
    await client.getBooleanValue('new_checkout', false, context),
    await client.getStringValue('banner_copy', 'plain', context),
    await client.getNumberValue('price_tier', 10, context),
    await client.getObjectValue('skill_tree_layout', { columns: 3 }, context),
    // @ts-expect-error a misspelled key
    await client.getBooleanValue('new_chekout', false, context),
    // @ts-expect-error a string flag is not a boolean flag
    await client.getBooleanValue('banner_copy', false, context),
    // @ts-expect-error no such number flag
    await client.getNumberDetails('price_teir', 10, context),
  ];
}
