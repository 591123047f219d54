import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assignVariant, defineExperiment } from '@bucketry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieValue, setCookies } from '../../../test-support/cookie-jar.js';
import { skillTreeLayout } from '../experiments.js';
import { nextBuild, nextStart, type RunningNext } from './next-process.js';

// "In five minutes" of packages/next/README.md, followed as a new user would: its files, exactly
// as printed, in a fresh app that has only the root layout every Next.js app has; `next build`
// without the runtime environment (no EXPOSURES_URL, no rollout); `next start` at
// SKILL_TREE_LIST_ROLLOUT=50; then the README's curl and the response it prints. The app lives in
// a dot-directory of the example (ignored by git and by the example's TypeScript), so that it
// resolves next, react and the Bucketry packages from the example's node_modules.
const readme = readFileSync(fileURLToPath(new URL('../../../packages/next/README.md', import.meta.url)), 'utf8');
const appDir = fileURLToPath(new URL(`../.readme-app-${process.pid}/`, import.meta.url));
const FILES = ['bucketry.ts', 'proxy.ts', 'app/skills/page.tsx', 'app/skills/layout-badge.tsx'];
const ROOT_LAYOUT = `import type { ReactNode } from 'react';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`;

/** The README's blocks that start with a `// <file>` comment, the first block of each file. */
function readmeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [, body] of readme.matchAll(/^```tsx?\n([\s\S]*?)^```$/gm)) {
    const file = /^\/\/ ([\w/.-]+\.tsx?)\b/.exec(body!)?.[1];
    if (file !== undefined && !files.has(file)) files.set(file, body!);
  }
  return files;
}

/** The lines the README prints for a visitor's first response, for the variant it got. */
function documentedHeaders(variant: string, id: string): string[] {
  const block = /A visitor's first response[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error("the README no longer shows a visitor's first response");
  return block
    .trim()
    .split('\n')
    .map((line) => line.replace('<uuid>', id).replaceAll('list', variant));
}

const skillTreeAt = (rollout: number) => defineExperiment({ ...skillTreeLayout, variants: [...skillTreeLayout.variants], rollout });
/** A visitor id (a UUID, as the proxy issues them) that gets `variant` at 50%. */
const visitorWith = (variant: string) => {
  for (let i = 0; i < 10_000; i++) {
    const id = `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
    if (assignVariant(skillTreeAt(50), id).variant === variant) return id;
  }
  throw new Error(`no visitor id gets ${variant}`);
};

const withoutBucketryEnv = (): NodeJS.ProcessEnv => {
  const { EXPOSURES_URL: _url, SKILL_TREE_LIST_ROLLOUT: _rollout, BUCKETRY_SECRET: _secret, ...env } = process.env;
  return env;
};
/** What the README's step 4 exports before `next start` (the build runs without it). */
const BUCKETRY_SECRET = randomBytes(32).toString('base64');

let app: RunningNext | undefined;

beforeAll(async () => {
  const files = readmeFiles();
  expect([...files.keys()].filter((file) => FILES.includes(file)).sort()).toEqual([...FILES].sort());
  rmSync(appDir, { recursive: true, force: true });
  for (const file of FILES) {
    mkdirSync(dirname(join(appDir, file)), { recursive: true });
    writeFileSync(join(appDir, file), files.get(file)!);
  }
  writeFileSync(join(appDir, 'app/layout.tsx'), ROOT_LAYOUT);
  await nextBuild(appDir, withoutBucketryEnv());
}, 180_000);

afterAll(async () => {
  await app?.stop();
  rmSync(appDir, { recursive: true, force: true });
});

describe("the README's five minutes, in a fresh Next.js 16 app", () => {
  it('builds without EXPOSURES_URL and BUCKETRY_SECRET, and the first response has the variant in its HTML, header and cookies, as the README prints them', async () => {
    expect(readme).toContain('export BUCKETRY_SECRET="$(openssl rand -base64 32)"');
    app = await nextStart(appDir, { ...withoutBucketryEnv(), BUCKETRY_SECRET, SKILL_TREE_LIST_ROLLOUT: '50' });
    const first = await fetch(`${app.url}/skills`);
    const html = await first.text();
    const id = cookieValue(setCookies(first).get('bucketry_uid'))!;
    const variant = assignVariant(skillTreeAt(50), id).variant;
    const shown = [...first.headers.getSetCookie().map((line) => `set-cookie: ${line}`), `x-experiment-skill-tree-layout: ${first.headers.get('x-experiment-skill-tree-layout')}`];
    expect(shown).toEqual(documentedHeaders(variant, id));
    expect(html).toContain(`Showing the <!-- -->${variant}<!-- --> layout`);
    expect(html).toContain(variant === 'list' ? '<ol><li>Basics</li>' : '<ul><li>Basics<ul>');

    // Sent back with its cookies: the same variant, no cookie set again.
    const again = await fetch(`${app.url}/skills`, { headers: { cookie: `bucketry_uid=${id}; exp_skill_tree_layout=${variant}` } });
    expect([again.headers.get('x-experiment-skill-tree-layout'), again.headers.getSetCookie()]).toEqual([variant, []]);
    // Without a collector, the README's sink logs the exposure.
    expect(app.output()).toContain(`exposure {"event":"experiment_exposure","experiment":"skill_tree_layout","variant":"${variant}","unit":"${id}"`);
  });

  it('restarted with SKILL_TREE_LIST_ROLLOUT=0, gives a list visitor tree and rewrites the cookie', async () => {
    await app?.stop();
    app = await nextStart(appDir, { ...withoutBucketryEnv(), BUCKETRY_SECRET, SKILL_TREE_LIST_ROLLOUT: '0' });
    const response = await fetch(`${app.url}/skills`, { headers: { cookie: `bucketry_uid=${visitorWith('list')}; exp_skill_tree_layout=list` } });
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(cookieValue(setCookies(response).get('exp_skill_tree_layout'))).toBe('tree');
    expect(await response.text()).toContain('Showing the <!-- -->tree<!-- --> layout');
  });
});
