import { describe, expect, it } from 'vitest';
import { experimentFromJSON } from './experiment-json.js';

// experimentFromJSON reads a config once into a plain copy (docs/spec.md §5.6), empty maps and
// arrays included: what follows never looks at the caller's objects again, so a Proxy that
// answers differently on a second look cannot reach the checks.
const answersOnce = (): object => {
  let looks = 0;
  return new Proxy(
    {},
    {
      ownKeys(target) {
        if (looks++ > 0) throw new Error('looked at twice');
        return Reflect.ownKeys(target);
      },
    },
  );
};

describe('the plain copy of a config', () => {
  it('copies an empty map too: the caller\'s object is read once', () => {
    expect(() => experimentFromJSON({ key: 'k', variants: ['a', 'b'], overrides: answersOnce() as never })).not.toThrow();
  });
});
