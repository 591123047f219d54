import { describe, expect, it } from 'vitest';
import { createProgress } from './demo-progress.mjs';

/** A stream that keeps what is written; `isTTY` as given. */
const fakeStream = (isTTY: boolean) => {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) } };
};

describe("the demo's progress", () => {
  it('in a log: one line at each quarter, with the count and the seconds so far', () => {
    const { writes, stream } = fakeStream(false);
    let clock = 0;
    const progress = createProgress({ total: 6_000, label: 'users', stream, now: () => clock });
    for (let done = 1; done <= 6_000; done++) {
      clock = done * 5; // 30 s in all
      progress.update(done);
    }
    progress.finish();
    expect(writes).toEqual([
      '   1,500 of 6,000 users so far (8 s)\n',
      '   3,000 of 6,000 users so far (15 s)\n',
      '   4,500 of 6,000 users so far (23 s)\n',
      '   6,000 of 6,000 users so far (30 s)\n',
    ]);
  });

  it('in a log, with fewer items than quarters: one line per item that completes a quarter', () => {
    const { writes, stream } = fakeStream(false);
    const progress = createProgress({ total: 2, label: 'users', stream, now: () => 0 });
    progress.update(1);
    progress.update(2);
    expect(writes).toEqual(['   1 of 2 users so far (0 s)\n', '   2 of 2 users so far (0 s)\n']);
  });

  it('on a terminal: a bar redrawn in place at most every 100 ms, always at the end, cleared by finish', () => {
    const { writes, stream } = fakeStream(true);
    let clock = 0;
    const progress = createProgress({ total: 1_000, label: 'users', stream, now: () => clock });
    for (let done = 1; done <= 1_000; done++) {
      clock = done; // 1 ms a user: 1 s in all
      progress.update(done);
    }
    progress.finish();
    // The first draw, one each time 100 ms have passed since the last, the last item's, and the clearing.
    const drawn = writes.slice(0, -1).map((text) => Number(/ ([\d,]+) of 1,000 /.exec(text)![1]!.replace(',', '')));
    expect(drawn).toEqual([1, 101, 201, 301, 401, 501, 601, 701, 801, 901, 1_000]);
    expect(writes.every((text) => text.startsWith('\r'))).toBe(true);
    expect(writes.at(-2)).toBe(`\r   ${'█'.repeat(24)} 1,000 of 1,000 users, 1 s\x1b[K`);
    expect(writes[0]).toBe(`\r   ${'░'.repeat(24)} 1 of 1,000 users, 0 s\x1b[K`);
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });
});
