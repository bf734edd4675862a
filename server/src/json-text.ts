import { parse as parseTolerant, type ParseError } from 'jsonc-parser';

/** A JSON text that parsed, or where and why it did not. */
export type ParsedJson = { ok: true; value: unknown } | { ok: false; problem: string };

/**
 * Parses a configuration file's text. A syntax error is reported the way editors and compilers
 * do, `file:line:column: invalid JSON: <why>`, so the operator can jump to it. `JSON.parse`
 * decides and says why; its message gives a character offset for some errors only (none for an
 * unexpected token, or at the end of the input), so the others are located with jsonc-parser,
 * which reports where every syntax error is.
 */
export function parseJsonText(file: string, text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = /at position (\d+)/.exec(message);
    const at = offset ? Number(offset[1]) : /end of JSON input/.test(message) ? text.length : firstErrorOffset(text);
    // The engine may quote the text around the error, newlines and all: the position says where.
    const why =
      message
        .replace(/, [\s\S]*is not valid JSON$/, '')
        .replace(/\s*(in JSON )?at position \d+[\s\S]*$/, '')
        .replace(/ of JSON input$/, ' of the file')
        .replace(/\s+/g, ' ') || 'syntax error';
    if (at === undefined) return { ok: false, problem: `${file}: invalid JSON: ${why}` };
    const { line, column } = lineAndColumn(text, at);
    return { ok: false, problem: `${file}:${line}:${column}: invalid JSON: ${why}` };
  }
}

/** Where a strict JSON parse finds its first syntax error, if it finds one. */
function firstErrorOffset(text: string): number | undefined {
  const errors: ParseError[] = [];
  parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return errors[0]?.offset;
}

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
