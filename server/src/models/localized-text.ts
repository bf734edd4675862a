/**
 * How a workflow's localized text travels to a model: appended to the agent's instructions, one
 * line per language (`[es] …`) under a fixed heading, so any model reads it as prose and the
 * offline model can read it back.
 */

const HEADING = 'Localized text: when the visitor writes one of these languages, say this about yourself in it.';
const LINE = /^\[([a-z]{2})\] (.+)$/;

/** The instructions with the localized text (none: unchanged). */
export function withLocalizedText(instructions: string, localized: Readonly<Record<string, string>> | undefined): string {
  const lines = Object.entries(localized ?? {}).map(([lang, text]) => `[${lang}] ${text.replace(/\s+/g, ' ').trim()}`);
  return lines.length > 0 ? `${instructions}\n\n${HEADING}\n${lines.join('\n')}` : instructions;
}

/** The localized text for `lang` that `withLocalizedText` put in the instructions, if any. */
export function localizedTextIn(instructions: string, lang: string): string | undefined {
  const at = instructions.lastIndexOf(`\n${HEADING}\n`);
  if (at < 0) return undefined;
  for (const line of instructions.slice(at + HEADING.length + 2).split('\n')) {
    const match = LINE.exec(line);
    if (match?.[1] === lang) return match[2];
  }
  return undefined;
}
