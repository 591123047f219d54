import { assignVariant, createBucketry, type Assignment } from '@bucketry/core';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { ExperimentProvider, useExperiment } from './index.js';
import { LIST_USER, skillTreeLayout, TREE_USER } from './test-support/fixtures.js';
import { serverThenHydrate } from './test-support/server-render.js';

/** Records the variant of each of its renders, so a flash of another variant would show. */
function Layout({ seen }: { seen: string[] }) {
  const { variant, inExperiment, reason } = useExperiment('skill_tree_layout', 'tree');
  seen.push(variant);
  return <main data-layout={variant}>{`${variant}|${inExperiment}|${reason}`}</main>;
}

function Page({ seen }: { seen: string[] }) {
  return (
    <>
      <Layout seen={seen} />
      <aside>
        <Layout seen={seen} />
      </aside>
    </>
  );
}

describe('server rendering and hydration', () => {
  it('bootstrapped assignments: the server’s variant on the first client render, no hydration warning', async () => {
    // What the server decided travels as JSON (a header, a script tag, props).
    const decided: Assignment = assignVariant(skillTreeLayout, LIST_USER);
    const transported = JSON.parse(JSON.stringify([decided])) as Assignment[];
    const server: string[] = [];
    const client: string[] = [];
    const result = await serverThenHydrate(
      <ExperimentProvider assignments={[decided]}>
        <Page seen={server} />
      </ExperimentProvider>,
      <StrictMode>
        <ExperimentProvider assignments={transported}>
          <Page seen={client} />
        </ExperimentProvider>
      </StrictMode>,
    );
    expect(result.problems).toEqual([]);
    expect(result.html).toContain('list|true|bucketed');
    expect(result.container.textContent).toBe('list|true|bucketedlist|true|bucketed');
    expect(new Set(server)).toEqual(new Set(['list']));
    expect(client.length).toBeGreaterThan(0);
    expect(new Set(client)).toEqual(new Set(['list']));
  });

  it('a client on both sides: the same variant before and after hydration, for either layout', async () => {
    const bucketry = createBucketry({ experiments: [skillTreeLayout] });
    for (const unit of [TREE_USER, LIST_USER]) {
      const expected = assignVariant(skillTreeLayout, unit).variant;
      const client: string[] = [];
      const result = await serverThenHydrate(
        <ExperimentProvider client={bucketry} unit={unit}>
          <Page seen={[]} />
        </ExperimentProvider>,
        <StrictMode>
          <ExperimentProvider client={bucketry} unit={unit}>
            <Page seen={client} />
          </ExperimentProvider>
        </StrictMode>,
      );
      expect(result.problems).toEqual([]);
      expect(result.html).toContain(`data-layout="${expected}"`);
      expect(result.container.querySelector('main')!.dataset.layout).toBe(expected);
      expect(new Set(client)).toEqual(new Set([expected]));
    }
  });

  it('the check itself catches a mismatch: a client that disagrees with the server’s HTML is reported', async () => {
    const result = await serverThenHydrate(
      <ExperimentProvider assignments={[assignVariant(skillTreeLayout, LIST_USER)]}>
        <Page seen={[]} />
      </ExperimentProvider>,
      <ExperimentProvider assignments={[assignVariant(skillTreeLayout, TREE_USER)]}>
        <Page seen={[]} />
      </ExperimentProvider>,
    );
    expect(result.problems.length).toBeGreaterThan(0);
  });
});
