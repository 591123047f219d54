import { assignVariant, createBucketry, createMemorySink } from '@bucketry/core';
import { createExperimentMiddleware } from '@bucketry/express';
import { render, screen } from '@testing-library/react';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { StrictMode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { assignmentsFromCookies, assignmentsFromHeaders, ExperimentProvider, type BootstrapAssignment } from './index.js';
import { LIST_USER, ShowVariant, skillTreeLayout, TREE_USER } from './test-support/fixtures.js';
import { serverThenHydrate } from './test-support/server-render.js';

// The names @bucketry/express writes (docs/spec.md §5.3), spelled out rather than derived.
const HEADER = 'X-Experiment-Skill-Tree-Layout';
const COOKIE = 'exp_skill_tree_layout';

const text = (testId: string): string => screen.getByTestId(testId).textContent ?? '';
const sentByServer = (variant: string): BootstrapAssignment => ({
  experiment: 'skill_tree_layout',
  variant,
  inExperiment: false,
  reason: 'server',
  bucket: -1,
  unit: '',
});

// The API that decides: @bucketry/express on 127.0.0.1, its exp_ cookies readable by scripts.
let server: Server;
let apiUrl: string;
const serverErrors: unknown[] = [];
beforeAll(async () => {
  const experiments = createExperimentMiddleware({
    experiments: [skillTreeLayout],
    user: (req) => req.get('x-user-id'),
    cookies: { httpOnly: false },
    onError: (error) => void serverErrors.push(error),
  });
  const app = express();
  app.get('/api/v1/skills/tree', experiments('skill_tree_layout'), (_req, res) => {
    res.json({ layout: res.locals.experiments.variant('skill_tree_layout') });
  });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** What a browser would keep of the API's answer for `user`: the response and its exp_ cookie as `name=value`. */
async function askApi(user: string): Promise<{ response: Response; layout: string; cookie: string }> {
  const response = await fetch(`${apiUrl}/api/v1/skills/tree`, { headers: { 'x-user-id': user } });
  const { layout } = (await response.json()) as { layout: string };
  const setCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${COOKIE}=`));
  expect(setCookie, 'the API sets the exp_ cookie').toBeDefined();
  expect(setCookie).not.toMatch(/HttpOnly/i);
  return { response, layout, cookie: setCookie!.split(';')[0]! };
}

afterEach(() => {
  // Expire every cookie a test set in the document.
  for (const pair of document.cookie.split('; ').filter(Boolean)) document.cookie = `${pair.split('=')[0]}=; Max-Age=0`;
});

describe('assignmentsFromHeaders: the X-Experiment-<Name> response header', () => {
  it.each([
    ['tree', TREE_USER],
    ['list', LIST_USER],
  ])('gives the %s variant the API chose, as a server-sent assignment the first render shows', async (expected, user) => {
    const { response, layout } = await askApi(user);
    expect(layout).toBe(expected);
    expect(layout).toBe(assignVariant(skillTreeLayout, user).variant);
    const assignments = assignmentsFromHeaders([skillTreeLayout], response.headers);
    expect(assignments).toEqual([sentByServer(expected)]);
    render(
      <ExperimentProvider assignments={assignments}>
        <ShowVariant experiment="skill_tree_layout" />
      </ExperimentProvider>,
    );
    expect(text('skill_tree_layout')).toBe(`${expected}|false|server`);
    expect(serverErrors).toEqual([]);
  });

  it('gives nothing for an experiment whose header is missing or not one of its variants', () => {
    expect(assignmentsFromHeaders([skillTreeLayout], new Headers())).toEqual([]);
    for (const value of ['hacker', 'list, tree', 'LIST', '']) {
      expect(assignmentsFromHeaders([skillTreeLayout], new Headers({ [HEADER]: value }))).toEqual([]);
    }
  });

  it('reads each experiment it is given, by that experiment’s own header', () => {
    const { experiments } = createBucketry({ experiments: [skillTreeLayout, { key: 'checkout_button', variants: ['blue', 'green'] }] });
    const headers = new Headers({ 'X-Experiment-Checkout-Button': 'green', 'X-Experiment-Skill-Tree-Layout': 'tree' });
    expect(assignmentsFromHeaders(experiments, headers).map((a) => `${a.experiment}=${a.variant}`)).toEqual(['skill_tree_layout=tree', 'checkout_button=green']);
  });
});

describe('assignmentsFromCookies: the exp_<key> cookie', () => {
  it.each([
    ['tree', TREE_USER],
    ['list', LIST_USER],
  ])('reads the %s variant the API set, from document.cookie as a page script would', async (expected, user) => {
    const { cookie } = await askApi(user);
    document.cookie = 'theme=dark';
    document.cookie = cookie;
    document.cookie = 'session_hint=1';
    expect(document.cookie).toContain(`${COOKIE}=${expected}`);
    expect(assignmentsFromCookies([skillTreeLayout])).toEqual([sentByServer(expected)]);
  });

  it('reads a Cookie request header given on the server, where there is no document', () => {
    const cookieHeader = `theme=dark; ${COOKIE}=list; other=1`;
    expect(assignmentsFromCookies([skillTreeLayout], cookieHeader)).toEqual([sentByServer('list')]);
  });

  it.each([
    ['no cookie at all (a first visit)', ''],
    ['a tampered value', `${COOKIE}=hacker`],
    ['a quoted value', `${COOKIE}="list"`],
    ['another cookie whose name ends like it', `x${COOKIE}=list`],
    ['the name only inside another cookie’s value', `note=${COOKIE}=list`],
  ])('gives nothing for %s', (_, cookieHeader) => {
    expect(assignmentsFromCookies([skillTreeLayout], cookieHeader)).toEqual([]);
  });

  it('takes the first of two cookies of the same name (the most specific path, as browsers send them)', () => {
    expect(assignmentsFromCookies([skillTreeLayout], `${COOKIE}=list; ${COOKIE}=tree`)).toEqual([sentByServer('list')]);
  });

  it('is empty on a server given no Cookie header', () => {
    // `document` is undefined on a server; undefined from a request without cookies must not reach for it.
    vi.stubGlobal('document', undefined);
    try {
      expect(assignmentsFromCookies([skillTreeLayout], undefined)).toEqual([]);
      expect(assignmentsFromCookies([skillTreeLayout])).toEqual([]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('server-sent variants in the provider', () => {
  it('win over the client, are never exposed (the server did it), and leave other experiments to the client', () => {
    const sink = createMemorySink();
    const bucketry = createBucketry({ experiments: [skillTreeLayout, { key: 'checkout_button', variants: ['blue', 'green'] }], sink });
    // The client alone would say tree for this user: the server's list wins.
    render(
      <StrictMode>
        <ExperimentProvider client={bucketry} unit={TREE_USER} assignments={[sentByServer('list')]}>
          <ShowVariant experiment="skill_tree_layout" />
          <ShowVariant experiment="checkout_button" />
        </ExperimentProvider>
      </StrictMode>,
    );
    expect(text('skill_tree_layout')).toBe('list|false|server');
    expect(text('checkout_button')).toBe(`${assignVariant(bucketry.experiment('checkout_button'), TREE_USER).variant}|true|bucketed`);
    expect(sink.events.map((event) => event.experiment)).toEqual(['checkout_button']);
  });

  it('are not exposed to a sink either, even one marked in the experiment by hand', () => {
    const sink = createMemorySink();
    render(
      <ExperimentProvider assignments={[{ ...sentByServer('list'), inExperiment: true }]} sink={sink}>
        <ShowVariant experiment="skill_tree_layout" />
      </ExperimentProvider>,
    );
    expect(text('skill_tree_layout')).toBe('list|true|server');
    expect(sink.events).toEqual([]);
  });

  it('server render from the API’s header, hydration from its cookie: one variant throughout, no warning, nothing exposed', async () => {
    const { response, layout, cookie } = await askApi(LIST_USER);
    document.cookie = cookie;
    const sink = createMemorySink();
    const result = await serverThenHydrate(
      <ExperimentProvider assignments={assignmentsFromHeaders([skillTreeLayout], response.headers)}>
        <ShowVariant experiment="skill_tree_layout" />
      </ExperimentProvider>,
      <StrictMode>
        <ExperimentProvider assignments={assignmentsFromCookies([skillTreeLayout])} sink={sink}>
          <ShowVariant experiment="skill_tree_layout" />
        </ExperimentProvider>
      </StrictMode>,
    );
    expect(layout).toBe('list');
    expect(result.problems).toEqual([]);
    expect(result.html).toContain('list|false|server');
    expect(result.container.textContent).toBe('list|false|server');
    expect(sink.events).toEqual([]);
  });
});
