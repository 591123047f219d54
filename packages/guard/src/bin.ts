#!/usr/bin/env node
// The `bucketry-guard` bin.
import { runGuardCommand } from './cli.js';

process.exitCode = await runGuardCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
