/*
 * Test-side helpers for the scripted protocol peer (protocol-peer.mjs), which the wtr config
 * starts. Each test uses its own session so frames, visitors and threads never mix.
 */

let base: Promise<string> | undefined;
let counter = 0;

/** The peer's base URL, from the route the wtr plugin serves. */
export function peerUrl(): Promise<string> {
  base ??= fetch('/__agent-chat-peer')
    .then((r) => r.json() as Promise<{ url: string }>)
    .then((j) => j.url);
  return base;
}

/** A peer session for one test: its `server` URL for the widget and its control routes. */
export interface PeerSession {
  server: string;
  /** Frames the widget sent, in order, with the connection number they came on. */
  frames(): Promise<Array<{ conn: number; frame: Record<string, unknown> & { type: string }; at: number }>>;
  /** The request URL (path and query) of every WebSocket upgrade, in order. */
  upgrades(): Promise<string[]>;
  /**
   * The next `times` (default 1) frames of type `on` get this error (replyTo the frame's id);
   * with `close`, the socket is then closed with that code.
   */
  refuse(refusal: { on: string; code: string; message: string; retryAfterMs?: number; close?: number; times?: number }): Promise<void>;
  /** Terminates the session's sockets (a network drop). */
  drop(): Promise<void>;
  offline(): Promise<void>;
  online(): Promise<void>;
  /** The peer stops answering anything until online(). */
  mute(): Promise<void>;
  /**
   * Creates a thread holding `items` finished messages (`it_m1`..`it_mN`, texts "Message 1"..,
   * user and assistant taking turns) and returns its id. `thread.opened` carries the newest 50.
   */
  thread(items: number): Promise<string>;
  /** Holds back `thread.history` answers (the request stays in flight) until release(). */
  hold(): Promise<void>;
  release(): Promise<void>;
  /**
   * Upload behaviour: `limits` for later `ready`s, `readDelayMs` between body chunks, `maxBytes`
   * the peer accepts, `refuse` the next uploads with an HTTP error, `expireTokens` (401 for
   * every token issued so far), `forgetFiles` (GET answers 404).
   */
  uploadConfig(config: {
    limits?: { maxFileBytes?: number; maxFilesPerMessage?: number; acceptedTypes?: string[] };
    readDelayMs?: number;
    maxBytes?: number;
    refuse?: { status: number; code: string; message: string; times?: number } | null;
    expireTokens?: boolean;
    forgetFiles?: boolean;
  }): Promise<void>;
  /** Every request that reached the upload routes (preflights included), in order. */
  uploadLog(): Promise<Array<{ method: string; path: string; authorization: string | null }>>;
}

/** A fresh session with a unique name. */
export async function peerSession(): Promise<PeerSession> {
  const server = `${await peerUrl()}/s/t${Date.now().toString(36)}${++counter}`;
  const post = async (what: string) => {
    await fetch(`${server}/${what}`, { method: 'POST' });
  };
  return {
    server,
    frames: async () => (await fetch(`${server}/frames`)).json(),
    upgrades: async () => (await fetch(`${server}/upgrades`)).json(),
    refuse: async (refusal) => {
      await fetch(`${server}/refuse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(refusal) });
    },
    drop: () => post('drop'),
    offline: () => post('offline'),
    online: () => post('online'),
    mute: () => post('mute'),
    thread: async (items) => ((await (await fetch(`${server}/thread?items=${items}`, { method: 'POST' })).json()) as { threadId: string }).threadId,
    hold: () => post('hold'),
    release: () => post('release'),
    uploadConfig: async (config) => {
      await fetch(`${server}/upload-config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(config) });
    },
    uploadLog: async () => (await fetch(`${server}/upload-log`)).json(),
  };
}
