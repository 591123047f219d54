#!/usr/bin/env node
// The `bucketry-guard` command. It lives outside dist/ so that pnpm can link it before the first build;
// the work is in the built module.
import '../dist/bin.js';
