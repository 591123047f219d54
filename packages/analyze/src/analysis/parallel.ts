import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExportAccumulator } from './accumulator.js';
import { LineClassifier, type ClassifierOptions } from './classify.js';
import { newEventIdSeed } from './event-id-hash.js';
import { LineRecords, type LineRecordsMessage } from './line-records.js';

/** What the main thread sends a classify worker: a batch of whole lines, and records applied already, to reuse. */
export interface ClassifyRequest {
  readonly buffer: ArrayBuffer;
  readonly length: number;
  readonly reuse: LineRecordsMessage | undefined;
}

/** What a classify worker sends back: the batch's buffer, for reuse, and its records. */
export interface ClassifyResponse {
  readonly buffer: ArrayBuffer;
  readonly records: LineRecordsMessage;
}

/** Lines are sent to workers this many bytes at a time: fewer, larger messages cost less. */
const BATCH_BYTES = 1 << 18;
/** Batches sent and not yet applied, per worker: enough to keep each busy, few enough to bound memory. */
const IN_FLIGHT_PER_WORKER = 2;

/** The worker script of the build, next to this module; missing when running from source. */
export const BUILT_WORKER_SCRIPT = new URL('./classify-worker.js', import.meta.url);

/**
 * How the blocks of lines of an export get classified and applied to the accumulator, in order:
 * on this thread, or on worker threads.
 */
export interface Classification {
  block(bytes: Buffer): void | Promise<void>;
  tooLong(): void;
  /** Applies what is still under way (after a failure too: what was read still counts); ends the workers. */
  finish(): Promise<void>;
}

/**
 * Classifies and applies each block on the calling thread.
 *
 * @example
 * ```ts
 * await readLineBlocks(source, new SequentialClassification(options, accumulator));
 * ```
 */
export class SequentialClassification implements Classification {
  private readonly classifier: LineClassifier;
  private readonly records = new LineRecords();

  constructor(
    options: ClassifierOptions,
    private readonly accumulator: ExportAccumulator,
  ) {
    this.classifier = new LineClassifier(options);
  }

  block(bytes: Buffer): void {
    this.classifier.classify(bytes, this.records);
    this.accumulator.apply(this.records);
    this.records.clear();
  }

  tooLong(): void {
    this.accumulator.tooLong();
  }

  async finish(): Promise<void> {}
}

/** One worker and the answers it owes, oldest first (a worker answers in order). */
interface ClassifyWorker {
  readonly worker: Worker;
  readonly waiting: { resolve(response: ClassifyResponse): void; reject(error: Error): void }[];
}

/**
 * Classifies batches of lines on worker threads while this thread reads the input and applies
 * the records, in input order, so the results are exactly the sequential ones: an event whose id
 * one worker saw is a duplicate when another sees it again, as the accumulator tells them apart.
 *
 * @example
 * ```ts
 * const classification = new ParallelClassification(options, accumulator, 2);
 * await readLineBlocks(source, classification);
 * await classification.finish();
 * ```
 */
export class ParallelClassification implements Classification {
  private readonly workers: ClassifyWorker[];
  /** In input order: records coming from a worker, or a line too long to keep. */
  private readonly queue: (Promise<ClassifyResponse> | 'too long')[] = [];
  private readonly freeBuffers: ArrayBuffer[] = [];
  /** Records already applied, whose memory goes back to a worker with the next batch. */
  private readonly freeRecords: LineRecords[] = [];
  private batch: Uint8Array | undefined;
  private batchLength = 0;
  private nextWorker = 0;
  private failure: Error | undefined;

  constructor(
    options: ClassifierOptions,
    private readonly accumulator: ExportAccumulator,
    threads: number,
    script: URL | string = BUILT_WORKER_SCRIPT,
  ) {
    // One seed for every worker: the accumulator compares the event ids' fingerprints they make.
    const workerData: ClassifierOptions = { ...options, eventIdSeed: options.eventIdSeed ?? newEventIdSeed() };
    this.workers = Array.from({ length: threads }, () => {
      // No inherited flags: a parent run with `--input-type` or `-e` would pass them to a worker that is a file.
      const entry: ClassifyWorker = { worker: new Worker(script, { workerData, execArgv: [] }), waiting: [] };
      entry.worker.on('message', (response: ClassifyResponse) => entry.waiting.shift()?.resolve(response));
      const fail = (error: Error) => {
        this.failure ??= error;
        for (const waiting of entry.waiting.splice(0)) waiting.reject(error);
      };
      entry.worker.on('error', fail);
      entry.worker.on('exit', (code) => {
        if (entry.waiting.length > 0) fail(new Error(`a worker thread stopped (exit code ${code}) with lines still to classify`));
      });
      return entry;
    });
  }

  /** Whether the build's worker script is there (it is not when this runs from source). */
  static available(script: URL | string = BUILT_WORKER_SCRIPT): boolean {
    return existsSync(typeof script === 'string' ? script : fileURLToPath(script));
  }

  async block(bytes: Buffer): Promise<void> {
    if (this.batch !== undefined && this.batchLength + bytes.length > this.batch.length) await this.send();
    if (this.batch === undefined) {
      const reused = this.freeBuffers.pop();
      this.batch = new Uint8Array(reused !== undefined && reused.byteLength >= bytes.length ? reused : new ArrayBuffer(Math.max(BATCH_BYTES, bytes.length)));
      this.batchLength = 0;
    }
    this.batch.set(bytes, this.batchLength);
    this.batchLength += bytes.length;
  }

  tooLong(): void {
    // After the lines before it: those in the batch being filled go first.
    if (this.batch !== undefined) this.post();
    this.queue.push('too long');
  }

  async finish(): Promise<void> {
    try {
      if (this.batch !== undefined) this.post();
      while (this.queue.length > 0) await this.applyNext();
    } finally {
      await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
    }
  }

  private async send(): Promise<void> {
    this.post();
    while (this.queue.length >= this.workers.length * IN_FLIGHT_PER_WORKER) await this.applyNext();
  }

  /** Sends the batch being filled to the next worker. */
  private post(): void {
    if (this.failure !== undefined) throw this.failure;
    const entry = this.workers[this.nextWorker]!;
    this.nextWorker = (this.nextWorker + 1) % this.workers.length;
    const buffer = this.batch!.buffer as ArrayBuffer;
    const reuse = this.freeRecords.pop()?.toMessage();
    const request: ClassifyRequest = { buffer, length: this.batchLength, reuse: reuse?.message };
    const response = new Promise<ClassifyResponse>((resolve, reject) => entry.waiting.push({ resolve, reject }));
    response.catch(() => undefined); // awaited in order later; not an unhandled rejection meanwhile
    this.queue.push(response);
    entry.worker.postMessage(request, [buffer, ...(reuse?.transfer ?? [])]);
    this.batch = undefined;
    this.batchLength = 0;
  }

  private async applyNext(): Promise<void> {
    const next = this.queue.shift()!;
    if (next === 'too long') {
      this.accumulator.tooLong();
      return;
    }
    const response = await next;
    this.freeBuffers.push(response.buffer);
    const records = LineRecords.fromMessage(response.records);
    this.accumulator.apply(records);
    this.freeRecords.push(records);
  }
}
