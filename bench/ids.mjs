// The unit ids every case cycles through: fixed, so runs compare like with like.

import { Random } from '@bucketry/stats';

const COUNT = 1000;

/**
 * Ids as a server receives them: flat strings, as JSON.parse or a header parser makes them.
 * Strings built by concatenation are ropes in V8, and reading ropes char by char is slower,
 * which would charge every hash here with a cost real ids do not have.
 */
const asReceived = (ids) => JSON.parse(JSON.stringify(ids));

/** A seeded generator, so the generated ids are the same on every run. */
const seededRandom = (seed) => {
  const rng = new Random(seed);
  return () => rng.next();
};

const hexDigits = (random, n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');

/** `user-0` … `user-999`: short ids, 6–8 bytes. */
export const userIds = asReceived(Array.from({ length: COUNT }, (_, i) => `user-${i}`));

/** 1,000 version-4-shaped UUIDs (36 bytes each). */
export const uuidIds = (() => {
  const random = seededRandom(0x5eed_0001);
  return asReceived(Array.from({ length: COUNT }, () => {
    const variant = '89ab'[Math.floor(random() * 4)];
    return `${hexDigits(random, 8)}-${hexDigits(random, 4)}-4${hexDigits(random, 3)}-${variant}${hexDigits(random, 3)}-${hexDigits(random, 12)}`;
  }));
})();

/** 1,000 ASCII ids whose lengths cycle through 10–40 bytes: the range the xxhash target is set on. */
export const mixedIds = (() => {
  const random = seededRandom(0x5eed_0002);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789_-';
  return asReceived(Array.from({ length: COUNT }, (_, i) => {
    const length = 10 + (i % 31);
    let id = '';
    while (id.length < length) id += alphabet[Math.floor(random() * alphabet.length)];
    return id;
  }));
})();

/** The id sets by name, with their byte-length range for the report. */
export const ID_SETS = { user: userIds, uuid: uuidIds, mixed: mixedIds };

export function byteRange(ids) {
  const lengths = ids.map((id) => Buffer.byteLength(id));
  return [Math.min(...lengths), Math.max(...lengths)];
}
