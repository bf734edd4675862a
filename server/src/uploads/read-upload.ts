import type { ReadUpload } from '../attachments/read-upload.ts';
import type { Storage } from '../store/storage.ts';

/** The `ReadUpload` backed by the storage (database or uploads directory, whichever holds the bytes). */
export function readUploadFrom(storage: Pick<Storage, 'uploads'>): ReadUpload {
  return (id) => storage.uploads.read(id);
}
