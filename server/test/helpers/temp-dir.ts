import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary data directory; removed by `removeDir`. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'agent-chat-test-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
