import type { Storage } from '../store/storage.ts';

/** How the model side reads an attachment's bytes: undefined when the upload is gone. */
export type ReadUpload = (id: string) => Promise<{ name: string; mime: string; bytes: Uint8Array } | undefined>;

/** The `ReadUpload` backed by the storage (database or uploads directory, whichever holds the bytes). */
export function readUploadFrom(storage: Pick<Storage, 'uploads'>): ReadUpload {
  return (id) => storage.uploads.read(id);
}
