import { getResolvedPDFJS } from 'unpdf';

/** Bounds on the work one PDF may cost. */
export interface PdfLimits {
  /** Pages read from the start; the rest are counted, not read. */
  maxPages: number;
  /** Wall-clock budget for opening the file and reading its pages (ms). */
  timeoutMs: number;
}

/** What was read from a PDF. */
export interface PdfText {
  /** The text of the pages read, a blank line between pages. */
  text: string;
  pagesRead: number;
  totalPages: number;
  /** The time budget ran out before every page in `maxPages` was read. */
  timedOut: boolean;
}

class Timeout extends Error {}

/**
 * Resolves on the next event-loop turn. PDF.js without a worker progresses on promise jobs
 * only: without this, a whole file is read in one turn, and nothing else on the server (nor the
 * timeout's timer) runs until it is done.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Extracts the text layer of a PDF with PDF.js (through `unpdf`, its serverless build: no worker,
 * no native code, nothing downloaded). Reads at most `maxPages` pages and stops at `timeoutMs`,
 * keeping the pages read by then. Throws when the file is not a readable PDF.
 */
export async function extractPdfText(bytes: Uint8Array, limits: PdfLimits): Promise<PdfText> {
  const { getDocument } = await getResolvedPDFJS();
  // PDF.js may take over the buffer it is given: hand it a copy, the caller keeps its bytes.
  // Verbosity 0: its warnings about damaged files would go to the console, not the operator log.
  const task = getDocument({ data: new Uint8Array(bytes), useSystemFonts: true, disableFontFace: true, stopAtErrors: false, verbosity: 0 });
  // Parsing starts at once; its failure is read below, a turn later: not an unhandled rejection.
  task.promise.catch(() => {});
  const deadline = Date.now() + limits.timeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Starts one step of the reading on a turn of its own, and gives up on it at the deadline. */
  const within = async <T>(step: () => Promise<T>): Promise<T> => {
    await nextTurn();
    const left = deadline - Date.now();
    if (left <= 0) throw new Timeout();
    return Promise.race([
      step(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Timeout()), left);
      }),
    ]).finally(() => clearTimeout(timer));
  };
  const pages: string[] = [];
  let totalPages = 0;
  let timedOut = false;
  try {
    const pdf = await within(() => task.promise);
    totalPages = pdf.numPages;
    for (let number = 1; number <= Math.min(totalPages, limits.maxPages); number++) {
      const page = await within(() => pdf.getPage(number));
      const content = await within(() => page.getTextContent());
      pages.push(
        content.items
          .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
          .join('')
          .trim(),
      );
      page.cleanup();
    }
  } catch (error) {
    if (!(error instanceof Timeout)) throw error;
    timedOut = true;
  } finally {
    // Stops whatever PDF.js still does for this file (a page cut off by the timeout included).
    void task.destroy().catch(() => {});
  }
  return { text: pages.filter((page) => page !== '').join('\n\n'), pagesRead: pages.length, totalPages, timedOut };
}
