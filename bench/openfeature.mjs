// What OpenFeature costs through the Bucketry provider, side by side in one run:
//   - `assignVariant` (the decision alone) and `bucketry.assign` (the client the provider wraps,
//     exposure and dedupe included): what a call site pays without OpenFeature;
//   - the Bucketry provider under OpenFeature: the same decision behind the SDK;
//   - OpenFeature's own InMemoryProvider with a static flag: the SDK's cost alone, the floor.
// The provider's cost per call is its time per call minus the floor's. Measured twice: the web
// SDK (synchronous; one user, since its context is global) through the timing harness, and the
// server SDK (asynchronous, a context per call cycling through 1,000 users) in awaited batches.
//
//   pnpm install && pnpm --filter @bucketry/core --filter @bucketry/openfeature build && node bench/openfeature.mjs
//
// @bucketry/openfeature (its built dist) and the OpenFeature SDKs are imported through
// packages/openfeature/src/test-support/sdks.mjs, so the bench package needs no dependency on them.
import { assignVariant, createBucketry } from '@bucketry/core';
import { measure, median } from './harness.mjs';
import { userIds } from './ids.mjs';

const { server, web, BucketryProvider, BucketryWebProvider } = await import('../packages/openfeature/src/test-support/sdks.mjs');

const CONFIG = { key: 'new_checkout', variants: ['off', 'on'], rollout: 25, values: { off: false, on: true } };
const client = () => createBucketry({ experiments: [CONFIG], sink: { write() {} } }); // default dedupe, as in production
const direct = client();
const experiment = direct.experiment('new_checkout');
const IN_MEMORY = { new_checkout: { variants: { off: false, on: true }, defaultVariant: 'off', disabled: false } };
const onUser = userIds.find((id) => assignVariant(experiment, id).value === true);

async function webCases() {
  await web.OpenFeature.setProviderAndWait('bucketry', new BucketryWebProvider(client()), { targetingKey: onUser });
  await web.OpenFeature.setProviderAndWait('in-memory', new web.InMemoryProvider(IN_MEMORY), { targetingKey: onUser });
  const bucketry = web.OpenFeature.getClient('bucketry');
  const inMemory = web.OpenFeature.getClient('in-memory');
  const one = [onUser];
  return measure([
    { name: 'assignVariant', ids: one, fn: (id) => (assignVariant(experiment, id).value ? 1 : 0) },
    { name: 'bucketry.assign', ids: one, fn: (id) => (direct.assign('new_checkout', id).value ? 1 : 0) },
    { name: 'OpenFeature + BucketryWebProvider', ids: one, fn: () => (bucketry.getBooleanValue('new_checkout', false) ? 1 : 0) },
    { name: 'OpenFeature + InMemoryProvider (floor)', ids: one, fn: () => (inMemory.getBooleanValue('new_checkout', false) ? 1 : 0) },
  ]).results;
}

async function serverCases() {
  await server.OpenFeature.setProviderAndWait('bucketry', new BucketryProvider(client()));
  await server.OpenFeature.setProviderAndWait('in-memory', new server.InMemoryProvider(IN_MEMORY));
  const bucketry = server.OpenFeature.getClient('bucketry');
  const inMemory = server.OpenFeature.getClient('in-memory');
  const contexts = userIds.map((targetingKey) => ({ targetingKey }));
  const cases = [
    { name: 'assignVariant', call: (i) => assignVariant(experiment, userIds[i]).value },
    { name: 'bucketry.assign', call: (i) => direct.assign('new_checkout', userIds[i]).value },
    { name: 'OpenFeature + BucketryProvider', call: (i) => bucketry.getBooleanValue('new_checkout', false, contexts[i]) },
    { name: 'OpenFeature + InMemoryProvider (floor)', call: (i) => inMemory.getBooleanValue('new_checkout', false, contexts[i]) },
  ];
  const BATCH = 20_000;
  const batch = async (call) => {
    let sink = 0;
    const start = process.hrtime.bigint();
    for (let n = 0; n < BATCH; n++) sink += (await call(n % contexts.length)) ? 1 : 0;
    return { seconds: Number(process.hrtime.bigint() - start) / 1e9, sink };
  };
  for (const c of cases) for (let warm = 0; warm < 5; warm++) await batch(c.call);
  const rates = cases.map(() => []);
  for (let round = 0; round < 9; round++) {
    // Interleaved rounds: a noisy neighbour slows every case alike.
    for (const [index, c] of cases.entries()) rates[index].push(BATCH / (await batch(c.call)).seconds);
  }
  return cases.map((c, index) => ({ name: c.name, opsPerSecond: median(rates[index]) }));
}

function print(title, results) {
  const floor = results.find((r) => r.name.endsWith('(floor)'));
  const nsOf = (r) => 1e9 / r.opsPerSecond;
  console.log(`\n${title}`);
  console.log(`${'case'.padEnd(42)}${'ops/s'.padStart(14)}${'ns/call'.padStart(10)}${'× floor time'.padStart(14)}${'over floor'.padStart(13)}`);
  for (const r of results) {
    const over = nsOf(r) - nsOf(floor);
    console.log(
      `${r.name.padEnd(42)}${Math.round(r.opsPerSecond).toLocaleString('en-US').padStart(14)}${nsOf(r).toFixed(0).padStart(10)}` +
        `${(nsOf(r) / nsOf(floor)).toFixed(2).padStart(14)}${`${over >= 0 ? '+' : ''}${over.toFixed(0)} ns`.padStart(13)}`,
    );
  }
}

print('web SDK (synchronous), one user', await webCases());
print('server SDK (awaited), 1,000 users in turn', await serverCases());
await Promise.all([web.OpenFeature.close(), server.OpenFeature.close()]);
