import { describe, expect, it, vi } from 'vitest';
import { PROGRESS_MIN_BYTES, ProgressBar } from './progress.js';

describe('ProgressBar', () => {
  it('is wanted only on a terminal and for large files', () => {
    expect(ProgressBar.wanted({ write: () => true, isTTY: true }, PROGRESS_MIN_BYTES)).toBe(true);
    expect(ProgressBar.wanted({ write: () => true, isTTY: false }, PROGRESS_MIN_BYTES)).toBe(false);
    expect(ProgressBar.wanted({ write: () => true }, PROGRESS_MIN_BYTES)).toBe(false);
    expect(ProgressBar.wanted({ write: () => true, isTTY: true }, PROGRESS_MIN_BYTES - 1)).toBe(false);
    expect(ProgressBar.wanted({ write: () => true, isTTY: true }, undefined)).toBe(false);
  });

  it('renders the share read, the sizes and the rate', () => {
    vi.useFakeTimers({ now: Date.UTC(2025, 5, 2, 8) });
    try {
      const bar = new ProgressBar({ write: () => true, isTTY: true, columns: 60 }, 1000 * 1024 * 1024, () => 0);
      const text = bar.render(400 * 1024 * 1024, Date.now() + 4000);
      expect(text).toBe('[########------------]  40%  400/1000 MB  100 MB/s');
    } finally {
      vi.useRealTimers();
    }
  });
});
