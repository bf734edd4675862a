/**
 * Inputs after cmark-gfm's pathological tests, at their sizes where those stay under the
 * 1 MB above which a text renders as plain text (backticks, references and lists are scaled down to fit).
 */
export const PATHOLOGICAL: Record<string, string> = {
  'nested strong emphasis': `${'*a **a '.repeat(65000)}b${' a** a*'.repeat(65000)}`,
  'many emphasis closers without openers': 'a_ '.repeat(65000),
  'many emphasis openers without closers': '_a '.repeat(65000),
  'many link closers without openers': 'a]'.repeat(65000),
  'many link openers without closers': '[a'.repeat(65000),
  'mismatched openers and closers': '*a_ '.repeat(50000),
  'openers and closers multiple of 3': `a**b${'c* '.repeat(50000)}`,
  'link openers and emphasis closers': '[ a_'.repeat(50000),
  'pattern [ (]( repeated': '[ (]('.repeat(80000),
  'pattern ![[]() repeated': '![[]()'.repeat(160000),
  'nested brackets': `${'['.repeat(50000)}a${']'.repeat(50000)}`,
  'nested block quotes': `${'> '.repeat(50000)}a`,
  'deeply nested lists': Array.from({ length: 900 }, (_, i) => `${'  '.repeat(i)}* a`).join('\n'),
  'backticks': Array.from({ length: 1400 }, (_, i) => `e${'`'.repeat(i)}`).join(''),
  'unclosed links A': '[a](<b'.repeat(30000),
  'unclosed links B': '[a](b'.repeat(30000),
  'many references': Array.from({ length: 25000 }, (_, i) => `[${i}]: https://example.com/${i}\n`).join('') + '[0] [24999]',
  'huge table': `| a | b | c |\n| - | - | - |\n${'| x | *y* | `z` |\n'.repeat(20000)}`,
  'wide table': `|${'x|'.repeat(5000)}\n|${'-|'.repeat(5000)}\n${`|${'y|'.repeat(5000)}\n`.repeat(10)}`,
};
