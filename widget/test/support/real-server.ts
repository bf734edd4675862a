/*
 * Test-side helpers for the REAL agent-chat server that real-server-plugin.mjs runs for the
 * whole browser test run (demo workflows and tools, offline model, a temp data dir).
 */

/** The real server's base URL (`http://127.0.0.1:PORT`), from the route the wtr plugin serves. */
export async function realServerUrl(): Promise<string> {
  const response = await fetch('/__agent-chat-server');
  if (!response.ok) throw new Error(`GET /__agent-chat-server: ${response.status}`);
  return ((await response.json()) as { url: string }).url;
}

/**
 * Stops the server with SIGTERM (runs in flight end `interrupted_by_restart`) and starts it again
 * on the same port and data dir; resolves once it listens again. Returns its URL (unchanged).
 * `clockOffsetMs` runs the new process with its clock that far off (-86_400_000: "yesterday")
 * until the next restart.
 */
export async function restartRealServer(clockOffsetMs = 0): Promise<string> {
  const response = await fetch(`/__agent-chat-server/restart?clockOffsetMs=${clockOffsetMs}`, { method: 'POST' });
  if (!response.ok) throw new Error(`POST /__agent-chat-server/restart: ${response.status}`);
  return ((await response.json()) as { url: string }).url;
}
