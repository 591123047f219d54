import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { itDocumentsEveryExport } from '../../../test-support/public-api-docs.js';
import * as api from './index.js';

// Every name index.ts exports must carry TSDoc with an @example where it is declared.
const here = fileURLToPath(new URL('.', import.meta.url));

describe('public API documentation', () => {
  it('exports the shared HTTP rules and the fetch sink', () => {
    expect(Object.keys(api).sort()).toEqual([
      'DEFAULT_ANONYMOUS_ID_COOKIE',
      'MAX_COOKIE_AGE_SECONDS',
      'OptionError',
      'RequestAssignments',
      'checkCookieName',
      'checkFunction',
      'checkHttpSafe',
      'checkHttpToken',
      'createFetchSink',
      'createQaOverrideReader',
      'experimentCookieName',
      'experimentHeaderName',
      'hasCookieValue',
      'headerText',
      'hmacSha256',
      'invalidOption',
      'isAnonymousId',
      'isHttpToken',
      'logToConsole',
      'newAnonymousId',
      'readCookie',
      'reporter',
      'resolveCookieAttributes',
      'resolveHttpSettings',
      'resolveUnitCookie',
      'sameBytes',
      'serializeCookie',
      'staffTokenMatches',
      'withPackageName',
    ]);
  });

  itDocumentsEveryExport(here);
});
