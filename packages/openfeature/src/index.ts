export { BucketryProvider } from './server-provider.js';
export type { BucketryProviderOptions, ProviderErrorContext, TrackEvent } from './options.js';
