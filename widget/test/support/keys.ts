/*
 * Real (trusted) key presses for browser tests. A synthetic KeyboardEvent never activates a
 * <button>; playwright's keyboard does. This calls web-test-runner's built-in `send-keys`
 * command (registered by default) the way @web/test-runner-commands' sendKeys() does, since
 * that package is not resolvable from the workspace.
 */

type SendMessage = (message: Record<string, unknown>) => Promise<{ executed?: boolean; error?: string }>;

/** Presses one key (playwright key name, e.g. "Enter", " ") on the focused element. */
export async function pressKey(key: string): Promise<void> {
  const sessionId = new URL(location.href).searchParams.get('wtr-session-id');
  if (!sessionId) throw new Error('pressKey needs a browser run by web-test-runner');
  // A variable specifier keeps tsc from resolving the dev server's runtime module.
  const socketModule = '/__web-dev-server__web-socket.js';
  const { sendMessageWaitForResponse } = (await import(/* @vite-ignore */ socketModule)) as { sendMessageWaitForResponse: SendMessage };
  const response = await sendMessageWaitForResponse({ type: 'wtr-command', sessionId, command: 'send-keys', payload: { press: key } });
  if (!response.executed || response.error) throw new Error(`send-keys failed: ${response.error ?? 'not executed'}`);
}
