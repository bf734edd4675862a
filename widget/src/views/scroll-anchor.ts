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

/** The first child that is not a button: when it changes, something was added above. */
function firstItem(container: HTMLElement): Element | null {
  for (const child of container.children) if (!(child instanceof HTMLButtonElement)) return child;
  return null;
}

const distanceFromBottom = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight;

/**
 * Keeps a scroll container pinned to its newest content while the reader is at the bottom,
 * and leaves them alone once they scroll up to read something older (`away` is then true, and
 * the view offers a way back: {@link jumpToLatest}). What they are reading stays in place even
 * when older items are added above it (browsers do not anchor a container scrolled to the very
 * top, and some do not anchor at all).
 *
 * Pinning never measures the layout while it is being built: a ResizeObserver on the container
 * and its children reports each growth after the browser laid it out, and the container is
 * scrolled to the end then. Whether the reader is at the bottom is read in `scroll` events,
 * when the layout is fresh. So a streamed answer costs no forced layout, however many tokens.
 */
export class ScrollAnchor implements ReactiveController {
  #host: ReactiveControllerHost;
  #find: () => HTMLElement | null | undefined;
  #el: HTMLElement | null = null;
  #observer: ResizeObserver | null = null;
  #observed = new WeakSet<Element>();
  #pinned = true;
  /** scrollTop right after we scrolled: the `scroll` event that follows is ours, not the reader's. */
  #ownTop = -1;
  /** A smooth scroll to the end is under way: its intermediate positions do not unpin. */
  #jumping = false;
  #anchor: { el: Element; top: number } | null = null;
  #first: Element | null = null;

  constructor(host: ReactiveControllerHost, find: () => HTMLElement | null | undefined) {
    this.#host = host;
    this.#find = find;
    host.addController(this);
  }

  /** The reader scrolled up, away from the newest content. */
  get away(): boolean {
    return !this.#pinned;
  }

  /** Pin to the bottom again (the visitor just sent something); the next growth scrolls there. */
  stick(): void {
    this.#setPinned(true);
    this.#jumping = false;
  }

  /** Scrolls to the newest content (smoothly unless the visitor prefers reduced motion) and pins there. */
  jumpToLatest(): void {
    const el = this.#el;
    this.stick();
    if (!el) return;
    const smooth = 'onscrollend' in el && !matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.#jumping = smooth;
    el.scrollTo({ top: el.scrollHeight, behavior: smooth ? 'smooth' : 'instant' });
    if (!smooth) this.#ownTop = el.scrollTop;
  }

  hostConnected(): void {
    if (this.#el) this.#attach(this.#el);
  }

  hostDisconnected(): void {
    this.#detach();
  }

  hostUpdate(): void {
    const el = this.#el;
    this.#anchor = null;
    this.#first = null;
    // Only a reader who scrolled up needs their place kept; the layout is normally fresh here.
    if (!el || this.#pinned || el.clientHeight === 0) return;
    this.#first = firstItem(el);
    this.#anchor = firstInView(el);
  }

  hostUpdated(): void {
    const el = this.#find() ?? null;
    if (el !== this.#el) {
      this.#detach();
      this.#el = el;
      if (el) this.#attach(el);
    }
    if (!el || !this.#observer) return;
    for (const child of el.children) {
      if (this.#observed.has(child)) continue;
      this.#observed.add(child);
      this.#observer.observe(child);
    }
    const anchor = this.#anchor;
    this.#anchor = null;
    // Older items were added above what the reader is looking at: put it back where it was.
    if (anchor?.el.isConnected && firstItem(el) !== this.#first) {
      const moved = anchor.el.getBoundingClientRect().top - el.getBoundingClientRect().top - anchor.top;
      if (moved !== 0) el.scrollTop += moved;
    }
  }

  #attach(el: HTMLElement): void {
    this.#observer ??= new ResizeObserver(() => this.#follow());
    this.#observer.observe(el);
    for (const child of el.children) this.#observer.observe(child);
    this.#observed = new WeakSet(el.children);
    el.addEventListener('scroll', this.#onScroll, { passive: true });
    el.addEventListener('scrollend', this.#onScrollEnd);
  }

  #detach(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#observed = new WeakSet();
    this.#el?.removeEventListener('scroll', this.#onScroll);
    this.#el?.removeEventListener('scrollend', this.#onScrollEnd);
  }

  /** Something in the container changed size (laid out already): stay at the end if pinned. */
  #follow(): void {
    const el = this.#el;
    if (!el || !this.#pinned || el.clientHeight === 0) return;
    if (distanceFromBottom(el) <= 0.5) return;
    el.scrollTop = el.scrollHeight;
    this.#ownTop = el.scrollTop;
    this.#jumping = false; // an instant scroll replaces a smooth one
  }

  #onScroll = () => {
    const el = this.#el;
    if (!el || this.#jumping || el.clientHeight === 0) return;
    if (Math.abs(el.scrollTop - this.#ownTop) < 1) return;
    this.#ownTop = -1;
    this.#setPinned(distanceFromBottom(el) <= SLACK);
  };

  #onScrollEnd = () => {
    const el = this.#el;
    if (!this.#jumping || !el) return;
    this.#jumping = false;
    this.#setPinned(distanceFromBottom(el) <= SLACK);
  };

  #setPinned(pinned: boolean): void {
    if (pinned === this.#pinned) return;
    this.#pinned = pinned;
    this.#host.requestUpdate();
  }
}
