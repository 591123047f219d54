import { assignVariant, createBucketry, createMemorySink, exposureFor, type ExposureEvent } from '@bucketry/core';
import { act, render } from '@testing-library/react';
import { StrictMode, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ExperimentProvider, useExperiment } from './index.js';
import { LIST_USER, ShowVariant, skillTreeLayout, TREE_USER } from './test-support/fixtures.js';
import { renderOnServer } from './test-support/server-render.js';

const exposed = (events: readonly ExposureEvent[]) => events.map((e) => `${e.unit}:${e.variant}`);

/** Three components reading the same experiment, one of them twice. */
function Page() {
  return (
    <>
      <ShowVariant experiment="skill_tree_layout" />
      <ShowVariant experiment="skill_tree_layout" />
      <section>
        <ShowVariant experiment="skill_tree_layout" />
      </section>
    </>
  );
}

describe('exposures with a client', () => {
  it('exposes once per unit and variant across renders, readers, remounts and StrictMode’s double effects', () => {
    const sink = createMemorySink();
    const bucketry = createBucketry({ experiments: [skillTreeLayout], sink });
    let setShown: (shown: boolean) => void = () => {};
    let setTick: (tick: number) => void = () => {};
    function Toggling() {
      const [shown, show] = useState(true);
      const [tick, tickTo] = useState(0);
      setShown = show;
      setTick = tickTo;
      return <div data-tick={tick}>{shown && <Page />}</div>;
    }
    const app = (unit: string | null) => (
      <StrictMode>
        <ExperimentProvider client={bucketry} unit={unit}>
          <Toggling />
        </ExperimentProvider>
      </StrictMode>
    );
    const { rerender } = render(app(LIST_USER));
    expect(exposed(sink.events)).toEqual([`${LIST_USER}:list`]);

    for (let tick = 1; tick <= 5; tick++) act(() => setTick(tick));
    act(() => setShown(false));
    act(() => setShown(true));
    rerender(app(LIST_USER));
    expect(exposed(sink.events)).toEqual([`${LIST_USER}:list`]);

    // Signed out: control, not in the experiment, nothing exposed. Signed in as another user: exposed once.
    rerender(app(null));
    rerender(app(TREE_USER));
    rerender(app(TREE_USER));
    expect(exposed(sink.events)).toEqual([`${LIST_USER}:list`, `${TREE_USER}:tree`]);
    // Each event has an id of its own (a random UUID): compared as the one the sink received.
    const second = sink.events[1]!;
    expect(second).toEqual(exposureFor(assignVariant(skillTreeLayout, TREE_USER), skillTreeLayout.version, Date.parse(second.timestamp), second.eventId));
  });

  it('never exposes while rendering: a server render writes nothing', () => {
    const sink = createMemorySink();
    const bucketry = createBucketry({ experiments: [skillTreeLayout], sink });
    const html = renderOnServer(
      <ExperimentProvider client={bucketry} unit={LIST_USER}>
        <Page />
      </ExperimentProvider>,
    );
    expect(html).toContain('list|true|bucketed');
    expect(sink.events).toEqual([]);
  });

  it('has not exposed yet when a reader renders for the first time', () => {
    const sink = createMemorySink();
    const bucketry = createBucketry({ experiments: [skillTreeLayout], sink });
    const writtenAtRender: number[] = [];
    function Reader() {
      useExperiment('skill_tree_layout');
      writtenAtRender.push(sink.events.length);
      return null;
    }
    render(
      <StrictMode>
        <ExperimentProvider client={bucketry} unit={LIST_USER}>
          <Reader />
        </ExperimentProvider>
      </StrictMode>,
    );
    expect(writtenAtRender[0]).toBe(0);
    expect(writtenAtRender.every((n) => n === 0)).toBe(true);
    expect(sink.events).toHaveLength(1);
  });

  it('exposes nobody who is not in the experiment', () => {
    const sink = createMemorySink();
    const killed = createBucketry({ experiments: [{ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 0 }], sink });
    render(
      <ExperimentProvider client={killed} unit={LIST_USER}>
        <Page />
      </ExperimentProvider>,
    );
    expect(sink.events).toEqual([]);
  });
});

describe('exposures of bootstrapped assignments', () => {
  const listFromServer = { ...assignVariant(skillTreeLayout, LIST_USER), configVersion: skillTreeLayout.version };

  it('with a sink: one event per unit and variant, built as core builds it, StrictMode and remounts included', () => {
    const sink = createMemorySink();
    const app = (key: string) => (
      <StrictMode>
        <ExperimentProvider key={key} assignments={[listFromServer]} sink={sink}>
          <Page />
        </ExperimentProvider>
      </StrictMode>
    );
    const { rerender } = render(app('first'));
    // A new key remounts the provider, as a route change would: the same sink is not written twice.
    rerender(app('second'));
    expect(sink.events).toHaveLength(1);
    const [event] = sink.events;
    expect(event).toEqual(exposureFor(listFromServer, skillTreeLayout.version, Date.parse(event!.timestamp), event!.eventId));
  });

  it('without a sink or a client: no write is attempted, since the server exposed', () => {
    // A write with nowhere to go would fail and be reported: nothing reported, nothing attempted.
    const onError = vi.fn();
    const { container } = render(
      <ExperimentProvider assignments={[listFromServer]} onError={onError}>
        <Page />
      </ExperimentProvider>,
    );
    expect(container.textContent).toBe('list|true|bucketed'.repeat(3));
    expect(onError).not.toHaveBeenCalled();
  });

  it('with a client too: through the client, which labels the event with its own version', () => {
    const sink = createMemorySink();
    const bucketry = createBucketry({ experiments: [skillTreeLayout], sink });
    const { configVersion: _dropped, ...withoutVersion } = listFromServer;
    render(
      <ExperimentProvider client={bucketry} unit={LIST_USER} assignments={[withoutVersion]}>
        <Page />
      </ExperimentProvider>,
    );
    expect(exposed(sink.events)).toEqual([`${LIST_USER}:list`]);
    expect(sink.events[0]!.configVersion).toBe(skillTreeLayout.version);
  });

  it('never for an assignment the server says is not in the experiment', () => {
    const sink = createMemorySink();
    const override = { experiment: 'skill_tree_layout', variant: 'list', inExperiment: false, reason: 'override' as const, bucket: -1, unit: TREE_USER };
    // Skipped, not attempted: core builds no event for it, so a write would fail (and be reported) rather than land.
    const onError = vi.fn();
    render(
      <ExperimentProvider assignments={[override]} sink={sink} onError={onError}>
        <Page />
      </ExperimentProvider>,
    );
    expect(sink.events).toEqual([]);
    expect(onError).not.toHaveBeenCalled();
  });
});
