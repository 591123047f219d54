#!/usr/bin/env node
// The `bucketry` bin.
import { readFileSync } from 'node:fs';
import { onStdoutError } from './cli/io.js';
import { runCli } from './cli/main.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

// A reader that stops early is not an error; a full disk is one line and exit 2.
process.stdout.on('error', (error: NodeJS.ErrnoException) => onStdoutError(error, process.stderr, process.exit));

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() }, version);
