export { BucketryWebProvider } from './web-provider.js';
export type { BucketryProviderOptions, ProviderErrorContext, TrackEvent } from './options.js';
