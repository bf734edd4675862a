import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** widget/dist/widget.js, which the server serves as /widget.js. */
export const WIDGET_BUNDLE = join(ROOT, 'widget/dist/widget.js');

/** Newest modification time of the files under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const name of readdirSync(dir, { recursive: true })) latest = Math.max(latest, statSync(join(dir, String(name))).mtimeMs);
  return latest;
}

/**
 * Builds the widget (`vite build`, as `npm run build` does) unless widget/dist/widget.js is newer
 * than the widget's and shared's sources, so a browser test never runs against a stale bundle.
 * `npm test` builds before the tests, so there this is only a check.
 */
export async function ensureWidgetBundle(): Promise<void> {
  const sources = Math.max(newest(join(ROOT, 'widget/src')), newest(join(ROOT, 'shared/src')), statSync(join(ROOT, 'vite.config.ts')).mtimeMs, newest(join(ROOT, 'scripts/vite')));
  if (existsSync(WIDGET_BUNDLE) && statSync(WIDGET_BUNDLE).mtimeMs >= sources) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

/** widget/dist/types and shared/dist: the declarations and JavaScript an app importing @agent-chat/widget gets. */
const PACKAGE_OUTPUTS = [join(ROOT, 'widget/dist/types/index.d.ts'), join(ROOT, 'widget/dist/lib/index.js'), join(ROOT, 'shared/dist/index.d.ts')];

/**
 * Compiles shared and widget (`tsc -p <pkg>/tsconfig.build.json`, as `npm run build` does) unless
 * their dist/ is newer than their sources, for tests that consume @agent-chat/widget as a package.
 * Call after ensureWidgetBundle(): vite empties widget/dist when it rebuilds the bundle.
 */
export async function ensureWidgetPackage(): Promise<void> {
  const sources = Math.max(newest(join(ROOT, 'widget/src')), newest(join(ROOT, 'shared/src')));
  if (PACKAGE_OUTPUTS.every((file) => existsSync(file) && statSync(file).mtimeMs >= sources)) return;
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  for (const pkg of ['shared', 'widget']) {
    await promisify(execFile)(join(ROOT, 'node_modules/.bin/tsc'), ['-p', `${pkg}/tsconfig.build.json`], { cwd: ROOT });
  }
}
