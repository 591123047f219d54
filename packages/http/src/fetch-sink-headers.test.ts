import { describe, expect, it } from 'vitest';
import { createFetchSink } from './fetch-sink.js';
import { exposureEvent as event } from './test-support/fetch-sink-collector.js';

// The Content-Type of the POST: JSON unless the caller sets one (e.g. with its own body format).

async function postedHeaders(headers?: Record<string, string>): Promise<Headers> {
  const sent: Headers[] = [];
  const sink = createFetchSink({
    url: 'https://collector.example.com/exposures',
    ...(headers && { headers }),
    fetch: async (_input, init) => (sent.push(new Headers(init!.headers)), new Response(null, { status: 204 })),
  });
  sink.write(event('u1'));
  await sink.flush();
  expect(sent).toHaveLength(1);
  return sent[0]!;
}

describe('createFetchSink headers', () => {
  it('sends application/json when no Content-Type is given', async () => {
    expect((await postedHeaders()).get('content-type')).toBe('application/json');
    expect((await postedHeaders({ authorization: 'Bearer t' })).get('content-type')).toBe('application/json');
  });

  it('keeps a Content-Type the caller gives, whatever its case', async () => {
    expect((await postedHeaders({ 'Content-Type': 'application/x-ndjson' })).get('content-type')).toBe('application/x-ndjson');
    expect((await postedHeaders({ 'content-type': 'text/plain' })).get('content-type')).toBe('text/plain');
  });
});
