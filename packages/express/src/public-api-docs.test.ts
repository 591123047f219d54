import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// Every name index.ts exports must carry TSDoc with an @example where it is declared.
const here = new URL('.', import.meta.url).pathname;
const sources = readdirSync(here, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes('test-support'))
  .map((file) => readFileSync(join(here, file), 'utf8'));

function exportedNames(): string[] {
  const index = readFileSync(join(here, 'index.ts'), 'utf8');
  const names = new Set<string>();
  for (const block of index.matchAll(/export\s*(?:type\s*)?\{([^}]*)\}/g)) {
    for (const part of block[1]!.split(',')) {
      const name = part.replace(/^\s*type\s+/, '').trim();
      if (name) names.add(name);
    }
  }
  return [...names];
}

function docOf(name: string): string | undefined {
  const declaration = new RegExp(
    `(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/)\\s*export\\s+(?:declare\\s+)?(?:function|const|class|interface|type|let)\\s+${name}\\b`,
  );
  for (const source of sources) {
    const match = declaration.exec(source);
    if (match) return match[1];
  }
  return undefined;
}

describe('public API documentation', () => {
  it('exports the middleware and the route helpers', () => {
    expect(Object.keys(api).sort()).toEqual([
      'DEFAULT_ANONYMOUS_ID_COOKIE',
      'MAX_RECENT_CAPACITY',
      'MIN_TOKEN_LENGTH',
      'createExperimentMiddleware',
      'createRecentExposuresBuffer',
      'healthRoute',
      'isAnonymousId',
      'recentExposuresRoute',
      'recordingSink',
      'rolloutStatus',
      'rolloutStatusRoute',
    ]);
  });

  it.each(exportedNames())('%s has TSDoc with an @example', (name) => {
    const doc = docOf(name);
    expect(doc, `${name} has no TSDoc block right above its declaration`).toBeDefined();
    expect(doc, `${name}'s TSDoc has no @example`).toContain('@example');
  });
});
