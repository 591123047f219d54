import { describe, expect, it } from 'vitest';
import { PrePeriod } from './cuped-pre-period.js';
import { UnitTable } from './unit-table.js';

const DAY = 86_400_000;

/** A unit table and a 7-day pre-period with one series; `expose` applies an exposure as the accumulator does. */
function setup() {
  const table = new UnitTable(0);
  const pre = new PrePeriod(7 * DAY, table);
  const series = pre.addSeries();
  const row = table.row('u1');
  const expose = (time: number) => {
    pre.beforeExposure(row, time);
    table.expose(row, 0, time);
  };
  return { pre, series, row, expose, add: (time: number, value = 1) => pre.add(series, row, time, value) };
}

describe('PrePeriod', () => {
  it('keeps a stretch of events inside the window before the exposure read after them', () => {
    const { pre, series, row, expose, add } = setup();
    add(4 * DAY, 2);
    add(6 * DAY, 3);
    expose(10 * DAY);
    expect([pre.sum(series, row), pre.count(series, row)]).toEqual([5, 2]);
    expect(pre.counts).toMatchObject({ inWindow: 2, olderThanWindow: 0, straddlingWindowStart: 0 });
  });

  it('starts a new stretch when an event comes more than the window after the stretch’s first: the older ones are out', () => {
    const { pre, series, row, expose, add } = setup();
    add(0);
    add(8 * DAY, 4);
    expose(10 * DAY);
    expect([pre.sum(series, row), pre.count(series, row)]).toEqual([4, 1]);
    expect(pre.counts).toMatchObject({ inWindow: 1, olderThanWindow: 1 });
  });

  it('leaves out an event read out of time order more than the window before the stretch’s latest: it cannot be in any later exposure’s window', () => {
    const { pre, series, row, expose, add } = setup();
    add(10 * DAY, 2);
    add(2 * DAY); // 8 days before the stretch's latest event
    expose(12 * DAY);
    expect([pre.sum(series, row), pre.count(series, row)]).toEqual([2, 1]);
    expect(pre.counts).toMatchObject({ inWindow: 1, olderThanWindow: 1, straddlingWindowStart: 0 });
  });

  it('leaves out whole a stretch that began before the window and ends in it, and counts it', () => {
    const { pre, series, row, expose, add } = setup();
    add(0);
    add(5 * DAY);
    expose(10 * DAY); // window from day 3: the stretch straddles it
    expect(pre.count(series, row)).toBe(0);
    expect(pre.counts).toMatchObject({ inWindow: 0, olderThanWindow: 0, straddlingWindowStart: 2 });
  });

  it('ignores events at or after the exposure, and judges later-read earlier events against the known window', () => {
    const { pre, series, row, expose, add } = setup();
    expose(10 * DAY);
    add(10 * DAY);
    add(12 * DAY);
    add(2 * DAY); // 8 days before
    add(3 * DAY, 7); // exactly 7 days before: in
    expect([pre.sum(series, row), pre.count(series, row)]).toEqual([7, 1]);
    expect(pre.counts).toMatchObject({ inWindow: 1, olderThanWindow: 1 });
  });

  it('resets a unit whose earlier exposure is read after events that it precedes', () => {
    const { pre, series, row, expose, add } = setup();
    expose(10 * DAY);
    add(5 * DAY);
    expose(4 * DAY); // the day-5 event is now after the exposure: no covariate
    expect(pre.count(series, row)).toBe(0);
    expect(pre.counts).toMatchObject({ inWindow: 0, resetUnits: 1 });
  });
});
