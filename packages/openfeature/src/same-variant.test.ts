import { assignVariant, createBucketry, defineExperiment, eligibilityRule } from '@bucketry/core';
import { OpenFeature } from '@openfeature/server-sdk';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { BucketryProvider } from './index.js';
import { newDomain } from './test-support/flags.js';

afterAll(() => OpenFeature.close());

// The server provider with a compound unit and eligibility: for any tenant, user and region,
// OpenFeature's answer is assignVariant's (web-provider.test.ts checks the web SDK with string ids).
it('through the server SDK, any compound unit and attributes get assignVariant’s variant, value and bucket', async () => {
  const experiment = defineExperiment({
    key: 'pricing_page',
    variants: ['a', 'b', 'c'],
    weights: [2, 1, 1],
    rollout: 60,
    traffic: 80,
    eligibility: eligibilityRule({ region: { in: ['eu', 'uk'] } }),
    values: { a: { price: 10 }, b: { price: 9 }, c: { price: 8 } },
  });
  const bucketry = createBucketry({ experiments: [experiment] });
  const domain = newDomain();
  await OpenFeature.setProviderAndWait(domain, new BucketryProvider(bucketry, { unit: (context) => ({ tenantId: String(context.tenantId), userId: String(context.targetingKey) }) }));
  const client = OpenFeature.getClient(domain);
  await fc.assert(
    fc.asyncProperty(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.constantFrom('eu', 'uk', 'us'), async (tenantId, userId, region) => {
      const expected = assignVariant(experiment, { tenantId, userId }, { tenantId, region });
      const details = await client.getObjectDetails('pricing_page', { price: 0 }, { targetingKey: userId, tenantId, region });
      expect([details.variant, details.value, details.flagMetadata.bucket]).toEqual([expected.variant, expected.value, expected.bucket]);
    }),
    { numRuns: 300 },
  );
});
