import { Lexer, Tokenizer, type Links, type Token, type Tokens } from 'marked';

/*
 * Markdown is parsed with marked's lexer (CommonMark + GFM); rendering is ours (render-markdown.ts).
 * Two things are added around the lexer:
 * - depth guards: marked recurses per nested block quote, list and inline span, so deep
 *   nesting from a model could overflow the stack; past a limit the rest renders as text;
 * - memoised finished blocks: a streaming answer only grows, and every block followed by
 *   another block is final, so only the tail from the last block on is lexed again.
 */

/** Block quotes and lists nested deeper than this render as plain text. */
const MAX_BLOCK_DEPTH = 10;
/** Inline spans (emphasis, links) nested deeper than this render as plain text. */
const MAX_INLINE_DEPTH = 24;
/** A text longer than this (a chat answer is a few kilobytes) renders as plain text. */
const MAX_SOURCE_LENGTH = 1_000_000;
/** A single paragraph longer than this renders as plain text: inline parsing is superlinear on hostile input. */
const MAX_INLINE_LENGTH = 20_000;

/** A block token holding text that must not be parsed further. */
function plainParagraph(raw: string): Tokens.Paragraph {
  return { type: 'paragraph', raw, text: raw, tokens: [{ type: 'text', raw, text: raw, escaped: false }] };
}

class GuardedTokenizer extends Tokenizer {
  private depth = 0;

  override blockquote(src: string): Tokens.Blockquote | undefined {
    return this.nested(src, () => super.blockquote(src)) as Tokens.Blockquote | undefined;
  }

  override list(src: string): Tokens.List | undefined {
    return this.nested(src, () => super.list(src)) as Tokens.List | undefined;
  }

  private nested(src: string, parse: () => Token | undefined): Token | undefined {
    // Too deep: take the rest of this container as one plain paragraph (the container bounds `src`).
    if (this.depth >= MAX_BLOCK_DEPTH) return plainParagraph(src) as unknown as Token;
    this.depth += 1;
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }
}

class GuardedLexer extends Lexer {
  private inlineDepth = 0;

  constructor() {
    super({ gfm: true, tokenizer: new GuardedTokenizer() });
  }

  override inlineTokens(src: string, tokens: Token[] = []): Token[] {
    if (this.inlineDepth >= MAX_INLINE_DEPTH || (this.inlineDepth === 0 && src.length > MAX_INLINE_LENGTH)) {
      tokens.push({ type: 'text', raw: src, text: src, escaped: false } as Tokens.Text);
      return tokens;
    }
    this.inlineDepth += 1;
    try {
      return super.inlineTokens(src, tokens);
    } finally {
      this.inlineDepth -= 1;
    }
  }
}

/**
 * Finished blocks of a text that was lexed (`seen`): they cover its prefix `source` and stay
 * valid for any text that starts with all of `seen` (a block is finished once another follows it).
 */
interface FinishedBlocks {
  readonly seen: string;
  readonly source: string;
  readonly tokens: readonly Token[];
  readonly links: Links;
}

const RECENT_LIMIT = 8;
const recent: FinishedBlocks[] = [];

function lexFresh(source: string, links: Links): { tokens: Token[]; links: Links } {
  const lexer = new GuardedLexer();
  Object.assign(lexer.tokens.links, links);
  try {
    const tokens = lexer.lex(source);
    return { tokens, links: lexer.tokens.links };
  } catch (error) {
    // A regular expression can still exhaust the stack on a multi-megabyte line: show it as text.
    if (!(error instanceof RangeError)) throw error;
    return { tokens: [plainParagraph(source) as unknown as Token], links };
  }
}

/**
 * Lexes markdown into marked's block tokens. Tokens of finished blocks are the same objects
 * from call to call while a text grows, so renderers can memoise per token.
 */
export function lexMarkdown(input: string): Token[] {
  const source = input.replace(/\r\n?/g, '\n');
  if (source.length > MAX_SOURCE_LENGTH) return [plainParagraph(source) as unknown as Token];
  let base: FinishedBlocks | undefined;
  for (const entry of recent) {
    if (source.startsWith(entry.seen) && (!base || entry.source.length > base.source.length)) base = entry;
  }
  let prefix: readonly Token[] = [];
  let lexed: { tokens: Token[]; links: Links } | undefined;
  if (base) {
    const tail = lexFresh(source.slice(base.source.length), base.links);
    // A new link definition may change finished blocks that use it: then lex everything again.
    if (Object.keys(tail.links).length === Object.keys(base.links).length) {
      prefix = base.tokens;
      lexed = tail;
    }
  }
  lexed ??= lexFresh(source, {});
  remember(source, prefix, lexed.tokens, lexed.links);
  return [...prefix, ...lexed.tokens];
}

function remember(source: string, prefix: readonly Token[], tail: Token[], links: Links): void {
  // Every block before the last non-blank one is finished.
  let last = tail.length - 1;
  while (last >= 0 && tail[last]!.type === 'space') last -= 1;
  if (last <= 0) return;
  const finished = [...prefix, ...tail.slice(0, last)];
  const finishedSource = finished.map((token) => token.raw).join('');
  if (!source.startsWith(finishedSource)) return; // raw text not contiguous: do not guess
  const known = recent.findIndex((entry) => entry.source === finishedSource);
  if (known >= 0 && source.startsWith(recent[known]!.seen)) return;
  if (known >= 0) recent.splice(known, 1);
  recent.unshift({ seen: source, source: finishedSource, tokens: finished, links });
  if (recent.length > RECENT_LIMIT) recent.pop();
}
