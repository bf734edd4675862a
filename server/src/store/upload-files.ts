import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Upload bytes kept as files in one directory (`UPLOADS_DIR`, a volume every instance mounts),
 * each named by its content hash: a name a visitor chose never reaches the file system. A file
 * is written under a temporary name and renamed into place, so a reader never sees half of one.
 */
export class UploadFiles {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  #path(sha256: string): string {
    // The hash is computed by the server; checked anyway, since it becomes a path.
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256.slice(0, 80)}`);
    return join(this.dir, sha256);
  }

  /** Writes the bytes (identical files share one). */
  async write(sha256: string, bytes: Uint8Array): Promise<void> {
    const path = this.#path(sha256);
    const temp = join(this.dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temp, bytes, { flag: 'wx' });
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.#path(sha256)).then(
      () => true,
      () => false,
    );
  }

  /** The bytes, or undefined when there is no such file. */
  async read(sha256: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.#path(sha256)));
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Removes the file; a missing one is fine. */
  async remove(sha256: string): Promise<void> {
    await unlink(this.#path(sha256)).catch((error: { code?: string }) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}
