/*
 * Imported first by agent-chat-server.ts: with AGENT_CHAT_TEST_CLOCK_OFFSET_MS set, every `Date`
 * of the server process reads the wall clock that far off, so a browser test can make
 * conversations "from yesterday" on the real server (its threads, events, run steps, traces and
 * usage days all come from `Date`). Test support only; the product has no such switch.
 */
const offset = Number(process.env.AGENT_CHAT_TEST_CLOCK_OFFSET_MS ?? 0);

if (Number.isSafeInteger(offset) && offset !== 0) {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args: ConstructorParameters<DateConstructor> | []) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...(args as ConstructorParameters<DateConstructor>));
    }

    static override now(): number {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}
