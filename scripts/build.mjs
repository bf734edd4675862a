#!/usr/bin/env node
// `npm run build`: the release. The widget bundle (widget/dist/widget.js, one self-contained
// file the server serves), the admin console's (console/dist/console.js, served at /console), then each package compiled to JavaScript with type declarations,
// in dependency order: shared, widget, server (server/dist/cli.js is the `agent-chat` command).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules/.bin', name);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// vite empties widget/dist itself; tsc does not remove what a deleted source left behind.
for (const dir of ['shared/dist', 'server/dist']) rmSync(join(root, dir), { recursive: true, force: true });
run(bin('vite'), ['build', '--logLevel', 'warn']);
run(bin('vite'), ['build', '--config', 'console/vite.config.ts', '--logLevel', 'warn']);
for (const pkg of ['shared', 'widget', 'server']) run(bin('tsc'), ['-p', `${pkg}/tsconfig.build.json`]);
