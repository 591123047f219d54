import { createRequire } from 'node:module';
import express5 from 'express';
import express4 from 'express4';

const require = createRequire(import.meta.url);

/** The installed versions, so a test run shows (and checks) what it ran against. */
export const EXPRESS_4_VERSION: string = require('express4/package.json').version;
export const EXPRESS_5_VERSION: string = require('express/package.json').version;

/** An app of either major version; tests use only what both have. */
export type AnyExpressApp = ReturnType<typeof express5>;

/** Both majors, for `describe.each`. */
export const EXPRESS_VERSIONS = [
  { name: `express ${EXPRESS_4_VERSION}`, major: 4, createApp: (): AnyExpressApp => express4() as unknown as AnyExpressApp },
  { name: `express ${EXPRESS_5_VERSION}`, major: 5, createApp: (): AnyExpressApp => express5() },
] as const;
