import type { ReadUpload, UploadContent } from '../../src/attachments/read-upload.ts';

/**
 * A valid PDF with one page per entry: a line of text in Helvetica, or (null) a filled square
 * and no text at all, like a scanned page. Offsets in the xref table are exact, so PDF.js reads
 * it without repairing it.
 */
export function tinyPdf(pages: ReadonlyArray<string | null>): Uint8Array {
  const objects: string[] = ['', '', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  const add = (body: string) => objects.push(body);
  const kids: number[] = [];
  for (const text of pages) {
    const stream = text === null ? '0 0 1 rg 10 10 50 50 re f' : `BT /F1 12 Tf 72 720 Td (${text.replace(/[\\()]/g, (c) => `\\${c}`)}) Tj ET`;
    const content = add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
    kids.push(add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${content} 0 R >>`));
  }
  objects[0] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

/** A 1×1 PNG. */
export const TINY_PNG = new Uint8Array(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64'),
);

/** Uploads kept in memory, with a count of the reads of each (to see what a cache saves). */
export function memoryUploads(files: Record<string, UploadContent>): { readUpload: ReadUpload; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const readUpload: ReadUpload = async (id) => {
    reads.set(id, (reads.get(id) ?? 0) + 1);
    return files[id];
  };
  return { readUpload, reads };
}
