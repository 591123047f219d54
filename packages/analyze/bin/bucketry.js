#!/usr/bin/env node
// The `bucketry` command. It lives outside dist/ so that pnpm can link it before the first build;
// the work is in the built module.
import '../dist/cli.js';
