import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How close to the bottom (px) still counts as "at the bottom". */
const SLACK = 40;

/** The first child of `container` in view, with its top relative to the container's top. */
function firstInView(container: HTMLElement): { el: Element; top: number } | null {
  const top = container.getBoundingClientRect().top;
  for (const child of container.children) {
    // Not the "Show earlier messages" button: it comes and goes above the items.
    if (child instanceof HTMLButtonElement) continue;
    const rect = child.getBoundingClientRect();
    if (rect.bottom > top) return { el: child, top: rect.top - top };
  }
  return null;
}

/**
 * Keeps a scroll container pinned to its newest content while the reader is at the bottom,
 * and leaves them alone once they scroll up to read something older: what they are reading
 * stays in place even when older items are added above it (browsers do not anchor a
 * container scrolled to the very top, and some do not anchor at all).
 */
export class ScrollAnchor implements ReactiveController {
  #find: () => HTMLElement | null | undefined;
  #atBottom = true;
  #force = false;
  #anchor: { el: Element; top: number } | null = null;

  constructor(host: ReactiveControllerHost, find: () => HTMLElement | null | undefined) {
    this.#find = find;
    host.addController(this);
  }

  /** Scroll to the bottom after the next update (the visitor just sent something). */
  stick(): void {
    this.#force = true;
  }

  hostUpdate(): void {
    const el = this.#find();
    this.#anchor = null;
    // A hidden panel has no geometry; keep the last known answer.
    if (!el || el.clientHeight === 0) return;
    this.#atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= SLACK;
    if (!this.#atBottom) this.#anchor = firstInView(el);
  }

  hostUpdated(): void {
    const el = this.#find();
    const anchor = this.#anchor;
    this.#anchor = null;
    if (el && (this.#atBottom || this.#force)) el.scrollTop = el.scrollHeight;
    else if (el && anchor?.el.isConnected) {
      const moved = anchor.el.getBoundingClientRect().top - el.getBoundingClientRect().top - anchor.top;
      if (moved !== 0) el.scrollTop += moved;
    }
    this.#force = false;
  }
}
