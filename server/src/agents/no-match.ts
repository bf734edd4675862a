/**
 * Whether a tool's output says it found nothing: `null` (or no value), an empty array, an empty
 * string, or an object with `found: false`. Such a call completed (the tool worked and the
 * answer is "nothing"), so the visitor sees it in neutral colours, not as a failure; only a
 * thrown error or a denied approval is one (docs/protocol.md, Tool calls).
 */
export function isNoMatch(output: unknown): boolean {
  if (output === null || output === undefined) return true;
  if (Array.isArray(output)) return output.length === 0;
  if (typeof output === 'string') return output.trim() === '';
  return typeof output === 'object' && (output as { found?: unknown }).found === false;
}
