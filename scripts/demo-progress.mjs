// Progress of a long step of `pnpm demo`, so that no stage is silent for more than a moment. On a
// terminal, one line redrawn in place (a bar, the count, the seconds so far); elsewhere (a CI log,
// a pipe), a plain line at each quarter, which a log keeps readable.
const BAR_WIDTH = 24;
/** Redraws at most this often on a terminal: a bar is for eyes, not for every user. */
const REDRAW_MS = 100;

const number = (n) => n.toLocaleString('en');

/** `12 s`: the whole seconds from `start` to `now` (ms), as every step of the demo shows them. */
export const secondsSince = (start, now = Date.now()) => `${Math.round((now - start) / 1000)} s`;

/** @typedef {{ isTTY?: boolean, write(text: string): unknown }} TextStream where progress goes: a terminal or a log */

/**
 * A progress display for `total` items on `stream` (`isTTY`, `write`): `update(done)` after each
 * item, `finish()` once they are all done (clears the bar; the caller prints the result). `label`
 * says what is counted ("users"); `now` is a clock in ms, for tests.
 * @param {{ total: number, label: string, stream?: TextStream, indent?: string, now?: () => number }} options
 */
export function createProgress({ total, label, stream = process.stdout, indent = '   ', now = () => Date.now() }) {
  const started = now();
  let drawnAt = -Infinity;
  let nextQuarter = 1;
  const elapsed = () => secondsSince(started, now());
  return {
    update(done) {
      if (stream.isTTY) {
        if (done < total && now() - drawnAt < REDRAW_MS) return;
        drawnAt = now();
        const filled = Math.round((BAR_WIDTH * done) / total);
        stream.write(`\r${indent}${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${number(done)} of ${number(total)} ${label}, ${elapsed()}\x1b[K`);
        return;
      }
      if (nextQuarter > 4 || done < (total * nextQuarter) / 4) return;
      // One line, however many quarters this item completes (fewer items than quarters).
      while (nextQuarter <= 4 && done >= (total * nextQuarter) / 4) nextQuarter++;
      stream.write(`${indent}${number(done)} of ${number(total)} ${label} so far (${elapsed()})\n`);
    },
    finish() {
      if (stream.isTTY) stream.write('\r\x1b[K');
    },
  };
}
