import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeStream, UnusableInputError } from './analyze.js';

const analyse = (text: string) => analyzeStream(Readable.from([Buffer.from(text)]), { experiment: 'skill_tree_layout', variants: ['tree', 'list'] });
const JSONL_EXPECTED = 'bucketry analyze reads JSON lines: one Segment, Amplitude or Bucketry event object per line (.jsonl, or .jsonl.gz)';

describe('an input with no exposure of the experiment', () => {
  it('says a CSV file is not JSON lines, and what is expected', async () => {
    const csv = 'event,userId,experiment,variant\nexperiment_exposure,u1,skill_tree_layout,tree\nexperiment_exposure,u2,skill_tree_layout,list\n';
    await expect(analyse(csv)).rejects.toThrow(
      new UnusableInputError(`no exposures of experiment "skill_tree_layout" (3 lines; 3 bad): no line is a JSON object; ${JSONL_EXPECTED}, so convert a CSV export first`),
    );
  });

  it('says an empty input is empty', async () => {
    for (const empty of ['', '\n\n']) {
      await expect(analyse(empty)).rejects.toThrow(new UnusableInputError(`no exposures of experiment "skill_tree_layout": the input is empty; ${JSONL_EXPECTED}`));
    }
  });

  it('keeps naming the experiments it did see when the lines are events', async () => {
    const other = JSON.stringify({ event: 'experiment_exposure', userId: 'a', properties: { experiment: 'checkout_v2', variant: 'new' }, timestamp: '2025-06-02T08:00:00Z' });
    await expect(analyse(other)).rejects.toThrow(new UnusableInputError('no exposures of experiment "skill_tree_layout" (1 lines; 0 bad; exposures of other experiments: checkout_v2)'));
  });
});
