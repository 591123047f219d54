// Compiled by src/typed-keys.test.ts against the built package: an app that registers nothing
// gets string keys and string variants.
import { useExperiment, type RegisteredKey } from '@bucketry/react';

export function Page(): string {
  const { variant, inExperiment, reason } = useExperiment('any_experiment', 'control');
  const text: string = variant;
  // @ts-expect-error without a registered client, a variant is any string, not a known one
  const narrow: 'tree' = variant;
  const key: RegisteredKey = 'anything';
  return [text, narrow, key, String(inExperiment), reason].join();
}
