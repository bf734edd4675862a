import type { ThreadEvent } from '@agent-chat/shared';

/**
 * Where a replay's frames go: `replay` marks frames read back from the log (see OutboundQueue);
 * `frame` is a live event's stored JSON (replayed events have none).
 */
export type ReplaySend = (event: ThreadEvent, replay: boolean, frame?: string) => void;

/**
 * Sends one `thread.open`'s missed events in slices of `sliceEvents`, yielding to the event
 * loop between slices so a long replay never holds up other sockets, then the live events that
 * were committed meanwhile. Live events arrive through `deliver` (the thread subscriber) from the
 * moment the thread is opened; they are held back until the replay is out, so the socket sees
 * every event once, in seq order, with no gap.
 */
export class SlicedReplay {
  #sliceEvents: number;
  #send: ReplaySend;
  #events: ThreadEvent[] = [];
  #next = 0;
  #live: Array<{ event: ThreadEvent; frame: string }> = [];
  #replaying = true;
  #cancelled = false;
  /** The highest seq sent (or covered by the snapshot): a live event at or below it is a duplicate. */
  #sent = -1;

  constructor(sliceEvents: number, send: ReplaySend) {
    this.#sliceEvents = Math.max(1, sliceEvents);
    this.#send = send;
  }

  /** The thread subscriber: sends a live event now, or after the replay when one is under way. */
  readonly deliver = (event: ThreadEvent, frame: string): void => {
    if (this.#cancelled) return;
    if (this.#replaying) this.#live.push({ event, frame });
    else this.#sendLive(event, frame);
  };

  /**
   * Starts sending `events` (already read, in seq order): the first slice now, the rest on later
   * turns. `throughSeq` is the snapshot's `lastSeq`: the client has everything up to it (the
   * items or these events), so a live event at or below it is not sent again — another
   * instance's events may reach this one both ways.
   */
  start(events: ThreadEvent[], throughSeq = 0): void {
    this.#events = events;
    this.#sent = throughSeq;
    this.#step();
  }

  /** Stops sending (the thread was re-opened or closed, or the socket went away). Idempotent. */
  cancel(): void {
    this.#cancelled = true;
    this.#events = [];
    this.#live = [];
  }

  /** Slices this replay is sent in (at least one: the answer itself). */
  static slices(events: number, sliceEvents: number): number {
    return Math.max(1, Math.ceil(events / Math.max(1, sliceEvents)));
  }

  #step = (): void => {
    if (this.#cancelled) return;
    const end = Math.min(this.#events.length, this.#next + this.#sliceEvents);
    for (; this.#next < end; this.#next++) {
      const event = this.#events[this.#next]!;
      this.#send(event, true);
      if (event.seq > this.#sent) this.#sent = event.seq;
    }
    if (this.#next < this.#events.length) {
      setImmediate(this.#step);
      return;
    }
    this.#replaying = false;
    this.#events = [];
    const live = this.#live;
    this.#live = [];
    for (const { event, frame } of live) this.#sendLive(event, frame);
  };

  #sendLive(event: ThreadEvent, frame: string): void {
    if (event.seq <= this.#sent) return;
    this.#sent = event.seq;
    this.#send(event, false, frame);
  }
}
