/** Longest title kept, in characters. */
export const MAX_TITLE_CHARS = 80;

/** A thread's title: the start of its first user message, whitespace collapsed, cut at a word. */
export function threadTitle(text: string, max = MAX_TITLE_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
