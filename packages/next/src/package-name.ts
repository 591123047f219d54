/** Starts this package's error messages. */
export const PACKAGE_NAME = '@bucketry/next';
