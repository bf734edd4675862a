import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How close to the bottom (px) still counts as "at the bottom". */
const SLACK = 40;

/**
 * Keeps a scroll container pinned to its newest content while the reader is at the bottom,
 * and leaves it alone once they scroll up to read something older.
 */
export class ScrollAnchor implements ReactiveController {
  #find: () => HTMLElement | null | undefined;
  #atBottom = true;
  #force = false;

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
    // A hidden panel has no geometry; keep the last known answer.
    if (el && el.clientHeight > 0) this.#atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= SLACK;
  }

  hostUpdated(): void {
    const el = this.#find();
    if (el && (this.#atBottom || this.#force)) el.scrollTop = el.scrollHeight;
    this.#force = false;
  }
}
