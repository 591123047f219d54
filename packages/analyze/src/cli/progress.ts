import type { OutputStream } from './io.js';

/** Files smaller than this finish too fast to need a progress bar. */
export const PROGRESS_MIN_BYTES = 32 * 1024 * 1024;

const MB = 1024 * 1024;

/**
 * A one-line progress bar on a terminal: bytes read of the total, rate, redrawn at most every
 * 200 ms from a timer, and erased at the end. Draws nothing unless the stream is a TTY.
 */
export class ProgressBar {
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();

  constructor(
    private readonly stream: OutputStream,
    private readonly total: number,
    private readonly bytesRead: () => number,
  ) {}

  /** Whether a bar is worth drawing: a terminal and a large file. */
  static wanted(stream: OutputStream, total: number | undefined): total is number {
    return stream.isTTY === true && total !== undefined && total >= PROGRESS_MIN_BYTES;
  }

  start(): void {
    this.timer = setInterval(() => this.draw(), 200);
    this.timer.unref();
  }

  /** The bar for a given count of bytes read, e.g. "[########------------]  40%  400/1000 MB  95 MB/s". */
  render(bytes: number, now = Date.now()): string {
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 40));
    const fraction = Math.min(1, bytes / this.total);
    const filled = Math.round(fraction * width);
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${Math.round(bytes / MB)}/${Math.round(this.total / MB)} MB  ${Math.round(bytes / MB / seconds)} MB/s`;
  }

  private draw(): void {
    this.stream.write(`\r${this.render(this.bytesRead())}`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stream.write('\r\x1b[K');
  }
}
