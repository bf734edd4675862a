#!/usr/bin/env node
// The `agent-chat` command: the compiled CLI (`npm run build` writes server/dist/cli.js).
import '../dist/cli.js';
