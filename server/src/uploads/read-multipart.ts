import { createHash } from 'node:crypto';
import busboy from 'busboy';
import { UploadError } from './upload-error.ts';

/** Room for the multipart framing around the one file (boundaries, part headers). */
const FRAMING_BYTES = 64 * 1024;

/**
 * After a refusal, this much more of the body is read and thrown away before the connection is
 * cut: a client still sending then reads the answer (413, 400) instead of a reset connection.
 */
const DRAIN_BYTES = 8 * 1024 * 1024;

/** The one file of an upload body, read whole (at most the byte limit) and hashed on the way. */
export interface ReceivedFile {
  /** The name the client gave, not yet cleaned. */
  rawName: string;
  bytes: Uint8Array;
  sha256: string;
}

/**
 * Reads a `multipart/form-data` body holding exactly one part, a file named `file`, as it
 * streams in: bytes are counted as they arrive and reading stops at `maxFileBytes` (also when
 * the body is chunked and announces no length), so memory stays bounded by the limit.
 * @throws UploadError 413 past the limit; 400 for a body that is not such a form, holds other
 *   parts, or ends before the form does (an aborted or broken upload).
 */
export async function readMultipartFile(contentType: string | undefined, body: ReadableStream<Uint8Array> | null, maxFileBytes: number): Promise<ReceivedFile> {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType) || !body) {
    throw new UploadError('invalid_request', 400, 'Send the file as multipart/form-data with one field named "file".');
  }
  const tooLarge = () => new UploadError('payload_too_large', 413, `A file may have at most ${maxFileBytes} bytes.`);
  const badForm = (why: string) => new UploadError('invalid_request', 400, why);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      defParamCharset: 'utf8',
      // A second file or any other field is refused (filesLimit, fieldsLimit), not skipped;
      // busboy signals 'limit' on reaching fileSize, so one byte more than a file may have.
      limits: { fileSize: maxFileBytes + 1, files: 1, fields: 0, headerPairs: 20 },
    });
  } catch {
    throw badForm('The multipart body has no boundary.');
  }

  const reader = body.getReader();
  return new Promise<ReceivedFile>((resolve, reject) => {
    let failed: UploadError | undefined;
    let file: ReceivedFile | undefined;
    let fileStarted = false;
    let fileEnded = false;
    let formEnded = false;
    const fail = (error: UploadError) => {
      if (failed || (file && formEnded)) return;
      failed = error;
      parser.destroy();
      reject(error);
    };
    const settle = () => {
      if (!failed && fileEnded && formEnded) {
        if (file) resolve(file);
        else fail(badForm('The form has no field named "file".'));
      }
    };

    parser.on('file', (field, stream, info) => {
      if (field !== 'file') {
        stream.resume();
        fail(badForm('The form may hold one field, named "file".'));
        return;
      }
      fileStarted = true;
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        hash.update(chunk);
        chunks.push(chunk);
      });
      stream.on('limit', () => fail(tooLarge()));
      stream.on('error', () => fail(badForm('The upload was cut off before the file ended.')));
      stream.on('end', () => {
        if (failed) return;
        const bytes = Buffer.concat(chunks, size);
        file = { rawName: info.filename ?? '', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), sha256: hash.digest('hex') };
        fileEnded = true;
        settle();
      });
    });
    parser.on('field', () => fail(badForm('The form may hold one field, named "file".')));
    parser.on('filesLimit', () => fail(badForm('The form may hold one file.')));
    parser.on('fieldsLimit', () => fail(badForm('The form may hold one field, named "file".')));
    parser.on('error', () => fail(badForm('The multipart body is malformed or ended before the form did.')));
    parser.on('close', () => {
      formEnded = true;
      if (!fileStarted) fileEnded = true;
      settle();
    });

    void (async () => {
      let total = 0;
      let drained = 0;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (failed) {
            // Refused: nothing more is parsed or kept; the rest is read and dropped, up to a bound.
            drained += value?.byteLength ?? 0;
            if (done || drained > DRAIN_BYTES) break;
            continue;
          }
          if (done) break;
          total += value.byteLength;
          // The file part alone is capped by busboy; this caps everything around it.
          if (total > maxFileBytes + FRAMING_BYTES) {
            fail(tooLarge());
            continue;
          }
          if (!parser.write(value)) {
            await new Promise<void>((r) => {
              parser.once('drain', r);
              parser.once('close', r);
            });
          }
        }
        if (failed) await reader.cancel().catch(() => {});
        else parser.end();
      } catch {
        fail(badForm('The upload was cut off before the file ended.'));
      }
    })();
  });
}
