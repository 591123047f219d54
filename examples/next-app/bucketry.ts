import type { ExposureSink } from '@bucketry/core';
import { createFetchSink, createNextExperiments, headerText } from '@bucketry/next';
import { skillTree } from './experiments';

// Exposures go to EXPOSURES_URL when it is set (a collector taking JSON arrays), else to stdout.
const exposures: ExposureSink = process.env.EXPOSURES_URL
  ? createFetchSink({ url: process.env.EXPOSURES_URL, onError: (error, info) => console.warn('exposures', info.kind, error) })
  : { write: (event) => console.log(JSON.stringify(event)) };

/** Shared by proxy.ts and the pages: one definition of the experiments and the rules. */
export const bucketry = createNextExperiments({
  experiments: [skillTree],
  routes: { '/skills': ['skill_tree_layout'], '/api/v1/skills': ['skill_tree_layout'] },
  // The signed-in user, as in the Express example, read as the UTF-8 clients send; visitors get an anonymous id.
  user: (request) => headerText(request.headers.get('x-user-id'), 'X-User-Id'),
  // The forwarded assignments are signed with BUCKETRY_SECRET (read from the environment): without
  // it every request gets control, reported below.
  sink: exposures,
  onError: (error, context) => console.warn('bucketry', context.source, context.experiment ?? '', error),
});
