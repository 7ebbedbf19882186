#!/usr/bin/env node
// Entry for `npx gvt-scenario`: the bundled CLI (built by `npm ci` through the `prepare` script).
require('../dist/cli.js').runMain();
