import type { Storage } from '../../src/store/storage.ts';

const pause = (maxMs: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * maxMs));

/** `fn` run after a random pause and answered after another: a storage across a network. */
function slow<A extends unknown[], R>(fn: (...args: A) => Promise<R>, maxMs: number): (...args: A) => Promise<R> {
  return async (...args: A) => {
    await pause(maxMs);
    const result = await fn(...args);
    await pause(maxMs);
    return result;
  };
}

/**
 * A storage with every read and every `apply` taking up to `maxMs` before it runs and
 * as long again before it answers, in a random order: what the event log and the service meet
 * on a database server, where an apply is in flight for a while and reads interleave with it.
 */
export function slowStorage<S extends Storage>(storage: S, maxMs: number): S {
  const wrap = <T extends object>(group: T): T =>
    Object.fromEntries(Object.entries(group).map(([name, fn]) => [name, slow(fn as (...args: unknown[]) => Promise<unknown>, maxMs)])) as T;
  return {
    ...storage,
    threads: wrap(storage.threads),
    items: wrap(storage.items),
    events: wrap(storage.events),
    runs: wrap(storage.runs),
    clientMessages: wrap(storage.clientMessages),
    approvals: wrap(storage.approvals),
    feedback: wrap(storage.feedback),
    usage: wrap(storage.usage),
    apply: slow(storage.apply, maxMs),
  };
}
