import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { itDocumentsEveryExport } from '../../../test-support/public-api-docs.js';
import * as api from './index.js';

// Every name index.ts exports must carry TSDoc with an @example where it is declared.
const here = fileURLToPath(new URL('.', import.meta.url));

describe('public API documentation', () => {
  it('exports the plan, the monitor, its sources, lock, webhook and state, the simulation, the status page and the baseline file', () => {
    expect(Object.keys(api).sort()).toEqual([
      'BaselineFileError',
      'MONITOR_ACTOR',
      'MonitorLockedError',
      'MonitorStoppedError',
      'PlanError',
      'SourceError',
      'acquireMonitorLock',
      'advanceRollout',
      'createMonitor',
      'createStatusHandler',
      'createStatusServer',
      'createWebhook',
      'defaultBaselinePath',
      'openEventSource',
      'parsePlan',
      'readBaselineFile',
      'readState',
      'simulateStage',
      'statePathFor',
      'statusMonitorView',
    ]);
  });

  itDocumentsEveryExport(here);
});

describe('the cli entry', () => {
  it('@bucketry/guard/cli exports the command runner only', async () => {
    expect(Object.keys(await import('./cli.js'))).toEqual(['runGuardCommand']);
  });
});
