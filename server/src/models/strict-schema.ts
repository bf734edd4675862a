/**
 * Whether a JSON schema already meets OpenAI's strict-mode rules (every object closed with
 * `additionalProperties: false` and listing all its properties as required). Strict mode is
 * only requested for such schemas: asking for it on others makes OpenAI reject the call.
 */
export function isStrictSchema(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return true;
  const node = schema as Record<string, unknown>;
  if (node.type === 'object' || node.properties !== undefined) {
    const properties = (node.properties ?? {}) as Record<string, unknown>;
    const required = Array.isArray(node.required) ? node.required : [];
    if (node.additionalProperties !== false) return false;
    if (!Object.keys(properties).every((key) => required.includes(key))) return false;
    if (!Object.values(properties).every(isStrictSchema)) return false;
  }
  if (node.items !== undefined && !isStrictSchema(node.items)) return false;
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = node[key];
    if (Array.isArray(branches) && !branches.every(isStrictSchema)) return false;
  }
  return true;
}
