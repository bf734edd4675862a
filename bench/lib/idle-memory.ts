import { BenchSocket, inBatches } from './bench-socket.ts';
import { type ChildSpec, startChildServer } from './child-server.ts';

/** A server's memory growth for holding idle connections, per connection, in bytes. */
export interface IdleCost {
  /** Resident set size growth per connection. */
  rss: number;
  /** V8 heap used + external (Buffers) growth per connection. */
  heap: number;
}

/**
 * Starts `spec` in a fresh process, reads its memory after a full GC, opens `count` sockets
 * that each say hello and get `ready`, lets them sit idle, and reads it again.
 */
export async function idleCost(spec: ChildSpec, count: number): Promise<IdleCost> {
  const server = await startChildServer(spec);
  try {
    // One connection first, so code paths the first one loads are not counted per connection.
    (await BenchSocket.open(server.wsUrl)).close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = await server.memory();
    const sockets = await inBatches(Array.from({ length: count }), 50, () => BenchSocket.open(server.wsUrl));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await server.memory();
    const open = sockets.filter((s) => s.ws.readyState === s.ws.OPEN).length;
    for (const s of sockets) s.close();
    if (open !== count) throw new Error(`${spec.kind}: only ${open} of ${count} idle connections stayed open`);
    return {
      rss: (after.rss - before.rss) / count,
      heap: (after.heapUsed + after.external - before.heapUsed - before.external) / count,
    };
  } finally {
    await server.stop();
  }
}
