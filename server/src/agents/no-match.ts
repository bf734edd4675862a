/**
 * Whether a tool's output says it found nothing: `null` (or no value), an empty array, an empty
 * string, or an object with `found: false` — also as the `data` of an MCP result that came with
 * prose beside its structured content (`{ data, text }`). Such a call completed (the tool worked and the
 * answer is "nothing"), so the visitor sees it in neutral colours, not as a failure; only a
 * thrown error or a denied approval is one (docs/protocol.md, Tool calls).
 */
export function isNoMatch(output: unknown): boolean {
  if (output === null || output === undefined) return true;
  if (Array.isArray(output)) return output.length === 0;
  if (typeof output === 'string') return output.trim() === '';
  if (typeof output !== 'object') return false;
  const { found, data, text } = output as { found?: unknown; data?: unknown; text?: unknown };
  if (found === false) return true;
  return typeof text === 'string' && typeof data === 'object' && data !== null && (data as { found?: unknown }).found === false;
}
