// The app's flag keys, typed through OpenFeature's own module augmentation. In a declaration file:
// there `skipLibCheck` lets these aliases replace @openfeature/core's `string` ones (in a .ts file
// TypeScript reports them as duplicate identifiers).
import '@openfeature/core';

declare module '@openfeature/core' {
  export type BooleanFlagKey = 'new_checkout';
  export type StringFlagKey = 'banner_copy';
  export type NumberFlagKey = 'price_tier';
  export type ObjectFlagKey = 'skill_tree_layout';
}
