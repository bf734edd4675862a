import { readFileSync } from 'node:fs';
import { BenchSocket, inBatches } from './bench-socket.ts';
import { type ChildServer, type ChildSpec, type MemorySample, startChildServer } from './child-server.ts';
import { sleep } from './env.ts';

/**
 * The child's memory once it stops moving: after a full GC the allocator may still hand pages
 * back to the system for a while, so read until two readings 100 ms apart agree within 256 KB.
 */
async function settledMemory(server: ChildServer): Promise<MemorySample> {
  let last = await server.memory();
  for (let tries = 0; tries < 10; tries++) {
    await sleep(100);
    const next = await server.memory();
    if (Math.abs(next.rss - last.rss) < 256 * 1024) return next;
    last = next;
  }
  return last;
}

/** A server's memory growth for holding idle connections, per connection, in bytes. */
export interface IdleCost {
  /** Resident set size growth per connection. */
  rss: number;
  /** V8 heap used + external (Buffers) growth per connection. */
  heap: number;
  /** RSS growth per connection over the second half of the connections only. */
  marginalRss: number;
  /** Heap + external growth per connection over the second half only. */
  marginalHeap: number;
}

/** This process's limit on open files (children inherit it), or undefined where /proc is not there. */
export function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

/**
 * Throws when `count` sockets (one descriptor each, here and in the server's process) would not
 * fit under the open-file limit. Node cannot raise it; the shell can (`ulimit -n`).
 */
export function checkOpenFileLimit(count: number): void {
  const limit = openFileLimit();
  if (limit !== undefined && limit < count + 200) {
    throw new Error(`${count} connections need more open files than the limit of ${limit}: raise it (ulimit -n ${count + 1000}) and run again`);
  }
}

/**
 * Starts `spec` in a fresh process and opens `count` sockets that each say hello, get `ready`
 * and then sit idle, in two halves; memory is read after a full GC before, between and after.
 * The second half's growth is the marginal cost of a connection, free of one-time growth
 * (code warmed up, heap spaces and caches sized) that the first half also pays for.
 */
export async function idleCost(spec: ChildSpec, count: number): Promise<IdleCost> {
  const server = await startChildServer(spec);
  const sockets: BenchSocket[] = [];
  try {
    // One connection first, so code paths the first one loads are not counted per connection.
    (await BenchSocket.open(server.wsUrl)).close();
    const before = await settledMemory(server);
    const half = Math.floor(count / 2);
    const openSome = async (n: number) => {
      sockets.push(...(await inBatches(Array.from({ length: n }), 50, () => BenchSocket.open(server.wsUrl))));
      await sleep(300);
      return settledMemory(server);
    };
    const middle = await openSome(half);
    const after = await openSome(count - half);
    const open = sockets.filter((s) => s.ws.readyState === s.ws.OPEN).length;
    if (open !== count) throw new Error(`${spec.kind}: only ${open} of ${count} idle connections stayed open`);
    const heap = (m: MemorySample) => m.heapUsed + m.external;
    return {
      rss: (after.rss - before.rss) / count,
      heap: (heap(after) - heap(before)) / count,
      marginalRss: (after.rss - middle.rss) / (count - half),
      marginalHeap: (heap(after) - heap(middle)) / (count - half),
    };
  } finally {
    for (const s of sockets) s.close();
    await server.stop();
  }
}
