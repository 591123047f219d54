// For bench/openfeature.mjs: the OpenFeature SDKs and this package's built entries, resolved from
// here (this package's devDependencies, ESM builds), so the bench package needs no dependency on them.
export * as server from '@openfeature/server-sdk';
export * as web from '@openfeature/web-sdk';
export { BucketryProvider } from '@bucketry/openfeature';
export { BucketryWebProvider } from '@bucketry/openfeature/web';
