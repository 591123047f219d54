import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createFileStore } from './file-store.js';
import { describeStoreContract } from './test-support/store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'bucketry-live-file-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Every test of the contract gets the same file through two stores, as two processes would.
describeStoreContract('file', () => createFileStore({ path: join(dir, 'rollouts.json') }));
