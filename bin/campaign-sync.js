#!/usr/bin/env node
// The `campaign-sync` command; its subcommands arrive with the operations work.
require('tsx/cjs');
require('../src/cli/main.ts');
