import { assignVariant, createBucketry, defineExperiment, eligibilityRule } from '@bucketry/core';
import { act, render, screen } from '@testing-library/react';
import { memo, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import { ExperimentProvider, useExperiment } from './index.js';
import { checkoutButton, LIST_USER, ShowVariant, skillTreeLayout, TREE_USER } from './test-support/fixtures.js';

const text = (testId: string): string => screen.getByTestId(testId).textContent ?? '';

describe('useExperiment with a client', () => {
  it('returns the engine’s assignment on the very first render', () => {
    const bucketry = createBucketry({ experiments: [skillTreeLayout] });
    const firstRender: string[] = [];
    function FirstRender() {
      const { variant, inExperiment, reason } = useExperiment('skill_tree_layout');
      firstRender.push(`${variant}|${inExperiment}|${reason}`);
      return null;
    }
    for (const unit of [TREE_USER, LIST_USER]) {
      firstRender.length = 0;
      const { unmount } = render(
        <ExperimentProvider client={bucketry} unit={unit}>
          <FirstRender />
        </ExperimentProvider>,
      );
      const expected = assignVariant(skillTreeLayout, unit);
      expect(firstRender[0]).toBe(`${expected.variant}|true|bucketed`);
      unmount();
    }
    expect(assignVariant(skillTreeLayout, TREE_USER).variant).not.toBe(assignVariant(skillTreeLayout, LIST_USER).variant);
  });

  it('returns the whole assignment: bucket, unit and experiment too', () => {
    const bucketry = createBucketry({ experiments: [skillTreeLayout] });
    let seen: unknown;
    function Whole() {
      seen = useExperiment('skill_tree_layout');
      return null;
    }
    render(
      <ExperimentProvider client={bucketry} unit={LIST_USER}>
        <Whole />
      </ExperimentProvider>,
    );
    expect(seen).toEqual(assignVariant(skillTreeLayout, LIST_USER));
  });

  it('gives control with reason missing_unit before sign-in, and the user’s variant once the unit is set', () => {
    const bucketry = createBucketry({ experiments: [skillTreeLayout] });
    const app = (unit: string | null) => (
      <ExperimentProvider client={bucketry} unit={unit}>
        <ShowVariant experiment="skill_tree_layout" />
      </ExperimentProvider>
    );
    const { rerender } = render(app(null));
    expect(text('skill_tree_layout')).toBe('tree|false|missing_unit');
    rerender(app(LIST_USER));
    expect(text('skill_tree_layout')).toBe('list|true|bucketed');
    rerender(app(TREE_USER));
    expect(text('skill_tree_layout')).toBe('tree|true|bucketed');
  });

  it('re-renders through the store only the readers whose assignment changed', () => {
    const euOnly = defineExperiment({ key: 'eu_banner', variants: ['off', 'on'], rollout: 100, eligibility: eligibilityRule({ region: { in: ['eu'] } }) });
    const bucketry = createBucketry({ experiments: [skillTreeLayout, euOnly] });
    const renders = { skill_tree_layout: 0, eu_banner: 0 };
    // memo: a parent re-render does not reach them; only their store subscription can.
    const Reader = memo(function Reader({ experiment }: { experiment: 'skill_tree_layout' | 'eu_banner' }) {
      return <ShowVariant experiment={experiment} onRender={() => renders[experiment]++} />;
    });
    const app = (region: string) => (
      <ExperimentProvider client={bucketry} unit={LIST_USER} attributes={{ region }}>
        <Reader experiment="skill_tree_layout" />
        <Reader experiment="eu_banner" />
      </ExperimentProvider>
    );
    const { rerender } = render(app('us'));
    expect(renders).toEqual({ skill_tree_layout: 1, eu_banner: 1 });

    // New attributes that change eu_banner only.
    rerender(app('eu'));
    expect(text('eu_banner')).toBe('on|true|bucketed');
    expect(text('skill_tree_layout')).toBe('list|true|bucketed');
    expect(renders).toEqual({ skill_tree_layout: 1, eu_banner: 2 });

    // Equal attributes in a new object, as a parent re-render gives: nobody re-renders.
    rerender(app('eu'));
    expect(renders).toEqual({ skill_tree_layout: 1, eu_banner: 2 });

    // A new unit changes every assignment (each carries its unit): both re-render.
    rerender(
      <ExperimentProvider client={bucketry} unit={TREE_USER} attributes={{ region: 'eu' }}>
        <Reader experiment="skill_tree_layout" />
        <Reader experiment="eu_banner" />
      </ExperimentProvider>,
    );
    expect(text('skill_tree_layout')).toBe('tree|true|bucketed');
    expect(renders).toEqual({ skill_tree_layout: 2, eu_banner: 3 });
  });

  it('assigns nothing again when only onError is new (an inline handler, on each parent re-render), yet reports to the newest', () => {
    const bucketry = createBucketry({ experiments: [skillTreeLayout, checkoutButton] });
    const peek = vi.spyOn(bucketry, 'peek');
    const app = (onError: () => void, unknownReader = false) => (
      <ExperimentProvider client={bucketry} unit={LIST_USER} onError={onError}>
        <ShowVariant experiment="skill_tree_layout" />
        <ShowVariant experiment="checkout_button" />
        {unknownReader && <ShowVariant experiment="pricing_page" />}
      </ExperimentProvider>
    );
    const first = vi.fn();
    const { rerender } = render(app(first));
    const peeksForFirstRender = peek.mock.calls.length;
    expect(peeksForFirstRender).toBeGreaterThan(0);
    rerender(app(() => {}));
    rerender(app(() => {}));
    expect(peek).toHaveBeenCalledTimes(peeksForFirstRender);
    expect(text('skill_tree_layout')).toBe('list|true|bucketed');

    const latest = vi.fn();
    rerender(app(latest, true));
    expect(latest).toHaveBeenCalledWith(expect.any(Error), { source: 'unknown_experiment', experiment: 'pricing_page' });
    expect(first).not.toHaveBeenCalled();
  });

  it('passes the attributes to eligibility rules, and follows them when they change', () => {
    const euOnly = defineExperiment({
      key: 'eu_banner',
      variants: ['off', 'on'],
      rollout: 100,
      eligibility: eligibilityRule({ region: { in: ['eu'] } }),
    });
    const bucketry = createBucketry({ experiments: [euOnly] });
    const app = (region: string) => (
      <ExperimentProvider client={bucketry} unit="user-1" attributes={{ region }}>
        <ShowVariant experiment="eu_banner" />
      </ExperimentProvider>
    );
    const { rerender } = render(app('us'));
    expect(text('eu_banner')).toBe('off|false|ineligible');
    rerender(app('eu'));
    expect(text('eu_banner')).toBe('on|true|bucketed');
  });

  it('never leaves the new user with the old user’s variant between two tasks (what a browser could paint), under StrictMode too', async () => {
    const bucketry = createBucketry({ experiments: [skillTreeLayout] });
    // The signed-in user as the app knows it, next to the variant: a render that read the store
    // before the provider took the new unit would show the new user with the old variant.
    function Header({ user }: { user: string }) {
      const { variant } = useExperiment('skill_tree_layout');
      return <span>{`${user}:${variant}`}</span>;
    }
    const app = (unit: string) => (
      <StrictMode>
        <ExperimentProvider client={bucketry} unit={unit}>
          <Header user={unit} />
        </ExperimentProvider>
      </StrictMode>
    );
    const container = document.body.appendChild(document.createElement('div'));
    const root = createRoot(container);
    act(() => root.render(app(TREE_USER)));
    // A DOM observer's callback runs once the task that changed the DOM is over: when a browser may paint.
    const betweenTasks: string[] = [];
    const observer = new MutationObserver(() => betweenTasks.push(container.textContent ?? ''));
    observer.observe(container, { subtree: true, childList: true, characterData: true });
    // Outside act, as a sign-in resolving in the app would: React renders in its own tasks.
    const actEnvironment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
    const wasAct = actEnvironment.IS_REACT_ACT_ENVIRONMENT;
    actEnvironment.IS_REACT_ACT_ENVIRONMENT = false;
    try {
      root.render(app(LIST_USER));
      await vi.waitFor(() => expect(container.textContent).toBe(`${LIST_USER}:list`));
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      actEnvironment.IS_REACT_ACT_ENVIRONMENT = wasAct;
      observer.disconnect();
    }
    expect(betweenTasks).toEqual([`${LIST_USER}:list`]);
    act(() => root.unmount());
    container.remove();
  });
});

describe('useExperiment with bootstrapped assignments', () => {
  const fromServer = { ...assignVariant(skillTreeLayout, LIST_USER), configVersion: skillTreeLayout.version };

  it('returns the server’s assignment on the first render, without a client', () => {
    const firstRender: string[] = [];
    function FirstRender() {
      const { variant, inExperiment, reason, unit } = useExperiment('skill_tree_layout');
      firstRender.push(`${variant}|${inExperiment}|${reason}|${unit}`);
      return null;
    }
    render(
      <ExperimentProvider assignments={[fromServer]}>
        <FirstRender />
      </ExperimentProvider>,
    );
    expect(firstRender[0]).toBe(`list|true|bucketed|${LIST_USER}`);
  });

  it('prefers the server’s assignment to the client’s, and asks the client for the others', () => {
    // The client would say tree for this unit; the server said list (say, a QA override).
    const forced = { experiment: 'skill_tree_layout', variant: 'list', inExperiment: false, reason: 'override' as const, bucket: -1, unit: TREE_USER };
    const bucketry = createBucketry({ experiments: [skillTreeLayout, checkoutButton] });
    render(
      <ExperimentProvider client={bucketry} unit={TREE_USER} assignments={[forced]}>
        <ShowVariant experiment="skill_tree_layout" />
        <ShowVariant experiment="checkout_button" />
      </ExperimentProvider>,
    );
    expect(text('skill_tree_layout')).toBe('list|false|override');
    const checkout = assignVariant(checkoutButton, TREE_USER);
    expect(text('checkout_button')).toBe(`${checkout.variant}|true|bucketed`);
  });

  it('follows new assignments (a navigation that brings the server’s answer for another user)', () => {
    const treeFromServer = assignVariant(skillTreeLayout, TREE_USER);
    const app = (assignments: readonly (typeof treeFromServer)[]) => (
      <ExperimentProvider assignments={assignments}>
        <ShowVariant experiment="skill_tree_layout" />
      </ExperimentProvider>
    );
    const { rerender } = render(app([fromServer]));
    expect(text('skill_tree_layout')).toBe('list|true|bucketed');
    rerender(app([treeFromServer]));
    expect(text('skill_tree_layout')).toBe('tree|true|bucketed');
  });
});
