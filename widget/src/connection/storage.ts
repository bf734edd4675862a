/*
 * What the widget remembers across page loads, in localStorage, namespaced by server so two
 * widgets talking to different servers never share a visitor or a thread. Storage can be
 * unavailable (sandboxed iframes, some private modes) or full: then memory stands in for this page.
 */

/** Values whose write to localStorage was refused; only these stand in for storage. */
const memory = new Map<string, string>();

function read(key: string): string | null {
  try {
    return localStorage.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
    // Stored: no shadow copy, so when the site clears storage (a sign-out) we forget it too.
    memory.delete(key);
  } catch {
    // storage refused: the in-memory copy serves this page
    if (value === null) memory.delete(key);
    else memory.set(key, value);
  }
}

const visitorKey = (server: string) => `agent-chat:${server}:visitor`;
const threadKey = (server: string, workflow: string) => `agent-chat:${server}:thread:${workflow}`;

/** The anonymous visitor token the server issued, if any. `server` is a normalized base URL. */
export function loadVisitorToken(server: string): string | null {
  return read(visitorKey(server));
}

/** Keeps the visitor token from `ready` for the next visit. */
export function saveVisitorToken(server: string, token: string): void {
  write(visitorKey(server), token);
}

/** The thread last used with this workflow on this server. */
export function loadThreadId(server: string, workflow: string): string | null {
  return read(threadKey(server, workflow));
}

/** Forgets the remembered thread of every workflow on this server ("delete all my conversations"). */
export function forgetThreads(server: string): void {
  const prefix = threadKey(server, '');
  let keys: string[] = [...memory.keys()];
  try {
    keys = keys.concat(Object.keys(localStorage));
  } catch {
    // storage unavailable: only the in-memory copies exist
  }
  for (const key of keys) if (key.startsWith(prefix)) write(key, null);
}

/** Remembers (or, with null, forgets) the thread for this workflow on this server. */
export function saveThreadId(server: string, workflow: string, threadId: string | null): void {
  write(threadKey(server, workflow), threadId);
}
