// A worker thread that classifies blocks of lines for ParallelClassification. Built as its own
// entry (dist/classify-worker.js).
import { parentPort, workerData } from 'node:worker_threads';
import { LineClassifier, type ClassifierOptions } from './classify.js';
import type { ClassifyRequest, ClassifyResponse } from './parallel.js';
import { LineRecords } from './line-records.js';

const classifier = new LineClassifier(workerData as ClassifierOptions);
const port = parentPort!;

port.on('message', ({ buffer, length, reuse }: ClassifyRequest) => {
  const records = reuse === undefined ? new LineRecords() : LineRecords.fromMessage(reuse);
  records.clear();
  classifier.classify(Buffer.from(buffer, 0, length), records);
  const { message, transfer } = records.toMessage();
  const response: ClassifyResponse = { buffer, records: message };
  port.postMessage(response, [buffer, ...transfer]);
});
