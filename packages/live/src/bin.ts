#!/usr/bin/env node
// The `bucketry-rollout` bin.
import { runRolloutCommand } from './rollout-command.js';

process.exitCode = await runRolloutCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
