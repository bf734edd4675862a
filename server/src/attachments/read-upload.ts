/** An uploaded file as the model side reads it: its display name, its type and its bytes. */
export interface UploadContent {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

/**
 * Reads an uploaded file by its id (`upl_…`); undefined when there is no such file (deleted,
 * expired). Given to the conversation service by whoever owns the upload storage.
 */
export type ReadUpload = (id: string) => Promise<UploadContent | undefined>;
