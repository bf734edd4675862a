import type { TransportOptions } from '../../server/src/transport/websocket-transport.ts';

/**
 * What a bench child server runs: the agent-chat server on the paced model, or a bare `ws` server
 * that answers the same requests with the same frames (paced the same way, nothing stored).
 */
export type ChildSpec =
  | {
      kind: 'agent-chat';
      tokens: number;
      paceMs: number;
      env: Record<string, string>;
      transport: Partial<TransportOptions>;
      /** The reply's tokens (default `w0 w1 …`); `tokens` is then their count. */
      reply?: string[];
      /** Merge a burst's deltas (the server's default); false sends one frame per token. */
      mergeTextDeltas?: boolean;
    }
  | { kind: 'bare-ws'; tokens?: number; paceMs?: number };

/** A process's memory, in bytes (from `process.memoryUsage()`). */
export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** Parent → child: read memory after a full GC, read (and reset) the peak since the last read, or stop. */
export type ChildRequest = { cmd: 'memory' } | { cmd: 'peak' } | { cmd: 'stop' };

/** Child → parent. */
export type ChildReply = { type: 'listening'; wsUrl: string } | { type: 'memory'; memory: MemorySample } | { type: 'peak'; memory: MemorySample };
