import { ToolError } from '../agents/errors.ts';
import { defineTool, type Tool, ToolRegistry, z } from '../agents/tool.ts';

/** `current_time`: the date and time now, optionally in an IANA time zone. */
export const currentTimeTool = defineTool({
  name: 'current_time',
  description: 'Get the current date and time (today, now, what day or time it is), optionally in a time zone such as Europe/Paris.',
  parameters: z.object({
    timezone: z.string().min(1).max(64).optional().describe('IANA time zone, e.g. "America/New_York"; default UTC'),
  }),
  title: 'Check the time',
  args: { timezone: { label: 'Time zone' } },
  execute({ timezone }) {
    const now = new Date();
    const timeZone = timezone ?? 'UTC';
    let local: string;
    try {
      local = new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'full', timeStyle: 'long' }).format(now);
    } catch {
      throw new ToolError(`Unknown time zone "${timezone}". Use an IANA name such as "Europe/Paris".`);
    }
    return { iso: now.toISOString(), timezone: timeZone, local };
  },
});

/** The generic tools every deployment has, whatever its workflows. */
export const builtinTools: readonly Tool[] = [currentTimeTool];

/**
 * The registry workflows name their tools from: the generic built-ins plus `extra` (a site's
 * own tools, e.g. the demo's `demoTools`). Throws on a duplicate name.
 */
export function createBuiltinToolRegistry(extra: Iterable<Tool> = []): ToolRegistry {
  return new ToolRegistry([...builtinTools, ...extra]);
}
