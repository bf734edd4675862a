import type { Item } from '@agent-chat/shared';
import type { Logger } from '../logger.ts';
import { DEFAULT_PREPARE_LIMITS, type PrepareLimits, prepareAttachment } from './prepare-attachment.ts';
import type { PreparedAttachment, PreparedAttachments } from './prepared-attachment.ts';
import type { ReadUpload } from './read-upload.ts';

/** Options of an `AttachmentPreparer`. */
export interface AttachmentPreparerOptions {
  readUpload: ReadUpload;
  log: Logger;
  limits?: PrepareLimits;
  /** Prepared attachments kept for later turns, at most this many… */
  cacheEntries?: number;
  /** …and at most this many characters of text and base64 together. */
  cacheChars?: number;
}

function size(prepared: PreparedAttachment): number {
  return prepared.kind === 'image' ? prepared.dataBase64.length : prepared.text.length;
}

/**
 * Turns the attachments of a thread into what the model sees, before a run starts (the run
 * loop is pure and synchronous about its history). A file is read and extracted once: the
 * result is kept per upload id in a small LRU cache, so later turns of the thread, which still
 * carry it, cost nothing. An upload that is gone or cannot be read is left out of the map (the
 * history then says it is not available); a failure is logged, never fails the run.
 */
export class AttachmentPreparer {
  readonly #o: Required<AttachmentPreparerOptions>;
  readonly #cache = new Map<string, PreparedAttachment>();
  #cachedChars = 0;
  /** Preparations in flight: two runs needing the same file share one extraction. */
  readonly #pending = new Map<string, Promise<PreparedAttachment | undefined>>();

  constructor(options: AttachmentPreparerOptions) {
    this.#o = { limits: DEFAULT_PREPARE_LIMITS, cacheEntries: 64, cacheChars: 64 * 1024 * 1024, ...options };
  }

  /** Every attachment of the thread's user messages, prepared, by upload id. */
  async forHistory(history: readonly Item[], signal?: AbortSignal): Promise<PreparedAttachments> {
    const ids = new Set<string>();
    for (const item of history) if (item.type === 'user_message') for (const attachment of item.attachments) ids.add(attachment.id);
    const prepared = new Map<string, PreparedAttachment>();
    // One at a time: a PDF's extraction runs on the event loop; several at once only interleave.
    for (const id of ids) {
      signal?.throwIfAborted();
      const one = await this.prepare(id);
      if (one) prepared.set(id, one);
    }
    return prepared;
  }

  /**
   * One upload, prepared (from the cache when it is there); undefined when it cannot be read.
   * Not cancellable: another run may be waiting for the same file, and the work is bounded.
   */
  async prepare(id: string): Promise<PreparedAttachment | undefined> {
    const cached = this.#cache.get(id);
    if (cached) {
      // Most recently used last.
      this.#cache.delete(id);
      this.#cache.set(id, cached);
      return cached;
    }
    let pending = this.#pending.get(id);
    if (!pending) {
      pending = this.#load(id).finally(() => this.#pending.delete(id));
      this.#pending.set(id, pending);
    }
    return pending;
  }

  async #load(id: string): Promise<PreparedAttachment | undefined> {
    let prepared: PreparedAttachment;
    try {
      const upload = await this.#o.readUpload(id);
      if (!upload) {
        this.#o.log.warn(`attachment ${id} is gone; the model is told it is not available`);
        return undefined;
      }
      prepared = await prepareAttachment(upload, this.#o.limits);
    } catch (error) {
      this.#o.log.error(`attachment ${id} could not be read; the model is told it is not available`, error);
      return undefined;
    }
    this.#remember(id, prepared);
    return prepared;
  }

  #remember(id: string, prepared: PreparedAttachment): void {
    const chars = size(prepared);
    if (chars > this.#o.cacheChars) return;
    this.#cache.set(id, prepared);
    this.#cachedChars += chars;
    for (const [oldId, old] of this.#cache) {
      if (this.#cache.size <= this.#o.cacheEntries && this.#cachedChars <= this.#o.cacheChars) break;
      this.#cache.delete(oldId);
      this.#cachedChars -= size(old);
    }
  }

  /** How many prepared attachments are cached (tests and diagnostics). */
  get cacheSize(): number {
    return this.#cache.size;
  }
}
