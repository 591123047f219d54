import { assignVariant, createBucketry, ExperimentConfigError, type Bucketry, type ExposureSink } from '@bucketry/core';
import { render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ExperimentProvider, useExperiment, type ExperimentErrorContext } from './index.js';
import { LIST_USER, ShowVariant, skillTreeLayout } from './test-support/fixtures.js';

const text = (testId: string): string => screen.getByTestId(testId).textContent ?? '';
const listFromServer = assignVariant(skillTreeLayout, LIST_USER);

describe('a sink or a client that fails never breaks rendering', () => {
  it.each([
    ['throws', (): void => { throw new Error('sink down'); }],
    ['rejects', (): Promise<void> => Promise.reject(new Error('sink down'))],
  ])('a sink that %s: the variant renders, onError hears of each failed write once', async (_, write) => {
    const onError = vi.fn();
    const sink = { write: vi.fn(write) } satisfies ExposureSink;
    render(
      <StrictMode>
        <ExperimentProvider assignments={[listFromServer]} sink={sink} onError={onError}>
          <ShowVariant experiment="skill_tree_layout" />
        </ExperimentProvider>
      </StrictMode>,
    );
    expect(text('skill_tree_layout')).toBe('list|true|bucketed');
    await waitFor(() => expect(onError).toHaveBeenCalled());
    // A write that throws is forgotten at once, so StrictMode's second effect writes (and fails) again;
    // a rejection is forgotten later, after that effect was de-duplicated. Either way: one report per failure.
    expect(sink.write).toHaveBeenCalled();
    expect(onError.mock.calls).toEqual(sink.write.mock.calls.map(() => [new Error('sink down'), { source: 'exposure', experiment: 'skill_tree_layout' }]));
  });

  it('a failed write is forgotten, so the next render of that unit writes it again', async () => {
    let fail = true;
    const written: string[] = [];
    const sink: ExposureSink = {
      write(event) {
        if (fail) throw new Error('sink down');
        written.push(event.unit);
      },
    };
    const app = (key: string) => (
      <ExperimentProvider key={key} assignments={[listFromServer]} sink={sink} onError={() => {}}>
        <ShowVariant experiment="skill_tree_layout" />
      </ExperimentProvider>
    );
    const { rerender } = render(app('first'));
    fail = false;
    rerender(app('second'));
    expect(written).toEqual([LIST_USER]);
  });

  it('a client whose expose throws: the variant renders, onError hears of it', () => {
    const onError = vi.fn();
    const real = createBucketry({ experiments: [skillTreeLayout] });
    const broken: Bucketry = { ...real, expose: () => { throw new Error('client down'); } };
    render(
      <ExperimentProvider client={broken} unit={LIST_USER} onError={onError}>
        <ShowVariant experiment="skill_tree_layout" />
      </ExperimentProvider>,
    );
    expect(text('skill_tree_layout')).toBe('list|true|bucketed');
    expect(onError).toHaveBeenCalledWith(new Error('client down'), { source: 'exposure', experiment: 'skill_tree_layout' });
  });

  it('an onError that throws is ignored', () => {
    const sink: ExposureSink = { write: () => { throw new Error('sink down'); } };
    const onError = vi.fn((): void => { throw new Error('handler down'); });
    render(
      <ExperimentProvider assignments={[listFromServer]} sink={sink} onError={onError}>
        <ShowVariant experiment="skill_tree_layout" />
      </ExperimentProvider>,
    );
    // It was called, and threw: the render survived that, not a handler that was never reached.
    expect(onError).toHaveBeenCalledWith(new Error('sink down'), { source: 'exposure', experiment: 'skill_tree_layout' });
    expect(onError.mock.results[0]!.type).toBe('throw');
    expect(text('skill_tree_layout')).toBe('list|true|bucketed');
  });
});

describe('an experiment the provider does not know', () => {
  it('gives the fallback, not in the experiment, and is reported once however often it is read', () => {
    const onError = vi.fn();
    const bucketry = createBucketry({ experiments: [skillTreeLayout] });
    const app = (unit: string) => (
      <StrictMode>
        <ExperimentProvider client={bucketry} unit={unit} onError={onError}>
          <ShowVariant experiment="pricing_page" fallback="old" />
          <ShowVariant experiment="pricing_page" fallback="old" />
        </ExperimentProvider>
      </StrictMode>
    );
    const { rerender } = render(app('user-1'));
    rerender(app('user-2'));
    for (const element of screen.getAllByTestId('pricing_page')) expect(element.textContent).toBe('old|false|error');
    expect(onError).toHaveBeenCalledTimes(1);
    const [error, context] = onError.mock.calls[0] as [ExperimentConfigError, ExperimentErrorContext];
    expect(context).toEqual({ source: 'unknown_experiment', experiment: 'pricing_page' });
    expect(error).toBeInstanceOf(ExperimentConfigError);
    expect(error.message).toContain('pricing_page');
  });

  it('gives each reader the fallback it passed, and is reported once for the key', () => {
    const onError = vi.fn();
    render(
      <ExperimentProvider assignments={[listFromServer]} onError={onError}>
        <section data-testid="old">
          <ShowVariant experiment="pricing_page" fallback="old" />
        </section>
        <section data-testid="new">
          <ShowVariant experiment="pricing_page" fallback="new" />
        </section>
      </ExperimentProvider>,
    );
    expect(text('old')).toBe('old|false|error');
    expect(text('new')).toBe('new|false|error');
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('without a fallback, gives "control"; with bootstrapped assignments only, names what the provider knows', () => {
    const onError = vi.fn();
    render(
      <ExperimentProvider assignments={[listFromServer]} onError={onError}>
        <ShowVariant experiment="pricing_page" />
      </ExperimentProvider>,
    );
    expect(text('pricing_page')).toBe('control|false|error');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(String(onError.mock.calls[0]![0])).toMatch(/key must name an experiment in the provider's assignments or client, got "pricing_page"/);
  });
});

describe('bootstrapped assignments that are not usable', () => {
  it('are ignored and reported once, naming the field, the value and the rule; the client decides instead', () => {
    const onError = vi.fn();
    const bucketry = createBucketry({ experiments: [skillTreeLayout] });
    const garbled = [{ ...listFromServer, variant: 42 }] as unknown as (typeof listFromServer)[];
    const app = (
      <ExperimentProvider client={bucketry} unit={LIST_USER} assignments={garbled} onError={onError}>
        <ShowVariant experiment="skill_tree_layout" />
      </ExperimentProvider>
    );
    const { rerender } = render(app);
    rerender(app);
    expect(text('skill_tree_layout')).toBe('list|true|bucketed');
    expect(onError).toHaveBeenCalledTimes(1);
    const [error, context] = onError.mock.calls[0]!;
    expect(context).toEqual({ source: 'assignments', experiment: 'skill_tree_layout' });
    expect(String(error)).toContain('assignments[0].variant must be a non-empty string, got 42');
  });

  it('arriving with a later render (a navigation) are reported, though no reader’s assignment changes', () => {
    // The client says list for this unit either way, so no reader re-renders or runs its effect:
    // only the provider can report what its new props brought.
    const onError = vi.fn();
    const bucketry = createBucketry({ experiments: [skillTreeLayout] });
    const app = (assignments: readonly (typeof listFromServer)[]) => (
      <ExperimentProvider client={bucketry} unit={LIST_USER} assignments={assignments} onError={onError}>
        <ShowVariant experiment="skill_tree_layout" />
      </ExperimentProvider>
    );
    const { rerender } = render(app([]));
    rerender(app([{ ...listFromServer, variant: 42 }] as unknown as (typeof listFromServer)[]));
    expect(text('skill_tree_layout')).toBe('list|true|bucketed');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(String(onError.mock.calls[0]![0])).toContain('assignments[0].variant must be a non-empty string, got 42');
  });

  it.each([
    ['not an array', { skill_tree_layout: 'list' }, 'assignments must be an array of assignments'],
    ['an entry without experiment', [{ variant: 'list', inExperiment: true }], 'assignments[0].experiment must be a non-empty string'],
    ['inExperiment that is not a boolean', [{ ...listFromServer, inExperiment: 'yes' }], 'assignments[0].inExperiment must be a boolean, got "yes"'],
  ])('%s', (_, assignments, message) => {
    const onError = vi.fn();
    render(
      <ExperimentProvider assignments={assignments as never} onError={onError}>
        <ShowVariant experiment="skill_tree_layout" fallback="tree" />
      </ExperimentProvider>,
    );
    expect(text('skill_tree_layout')).toBe('tree|false|error');
    expect(onError.mock.calls.map(([error]) => String(error)).join('\n')).toContain(message);
  });
});

describe('useExperiment outside a provider', () => {
  it('throws an error that names the hook, the key and the provider it needs', () => {
    function Lost() {
      useExperiment('skill_tree_layout');
      return null;
    }
    // React logs the error it rethrows (and React 18 reports it to the window); keep the output clean.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    const swallow = (event: ErrorEvent) => event.preventDefault();
    window.addEventListener('error', swallow);
    try {
      expect(() => render(<Lost />)).toThrow(/^useExperiment\("skill_tree_layout"\) must be called inside an <ExperimentProvider>$/);
    } finally {
      window.removeEventListener('error', swallow);
      quiet.mockRestore();
    }
  });
});
