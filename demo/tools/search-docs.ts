import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineTool, type Tool, z } from '@agent-chat/server';

/** One `##` section of a help page (the text before the first `##` is a section without heading). */
interface Section {
  file: string;
  page: string;
  heading: string;
  body: string;
}

/** A search hit: where it is and a short plain-text snippet. */
export interface DocHit {
  title: string;
  snippet: string;
  source: string;
  score: number;
}

const STOP = new Set('a an and are as at be by can do does for from how i if in is it my of on or the to was what when where which who why with you your me we our this that there cannot'.split(' '));

/** A light suffix strip: "refunds" and "refund", "shipping" and "ship", "invoices" and "invoice" meet. */
function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (/(?:sses|ches|shes|xes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  if (/([b-df-hj-np-tv-z])\1$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** Lower-case, stemmed terms without stop words. */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((word) => word.length > 1 && !STOP.has(word)).map(stem);
}

function plain(markdown: string): string {
  return markdown
    .replace(/\*\*|__|`/g, '')
    .replace(/^\s*(?:[-*]|\d+\.)\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Reads every `*.md` page in `dir` into sections. */
export function readSections(dir: string): Section[] {
  const sections: Section[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.md')).sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    const page = /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? file;
    const parts = text.replace(/^#\s+.+$/m, '').split(/^##\s+/m);
    parts.forEach((part, index) => {
      const [first = '', ...rest] = part.split('\n');
      const heading = index === 0 ? '' : first.trim();
      const body = plain(index === 0 ? part : rest.join('\n'));
      if (body) sections.push({ file, page, heading, body });
    });
  }
  return sections;
}

/** At most `max` characters in whole sentences (or whole words, when the first sentence alone is longer). */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const end = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '), head.lastIndexOf('? '));
  if (end > 0) return head.slice(0, end + 1);
  return `${head.slice(0, Math.max(head.lastIndexOf(' '), 1))}…`;
}

/** Each page's terms, worked out once per set of sections (a search runs per visitor question). */
const PAGE_TERMS = new WeakMap<readonly Section[], Map<string, Set<string>>>();
function pageTerms(sections: readonly Section[]): Map<string, Set<string>> {
  let pages = PAGE_TERMS.get(sections);
  if (pages) return pages;
  pages = new Map();
  for (const section of sections) {
    const words = pages.get(section.file) ?? new Set<string>();
    for (const term of terms(`${section.page} ${section.heading} ${section.body}`)) words.add(term);
    pages.set(section.file, words);
  }
  PAGE_TERMS.set(sections, pages);
  return pages;
}

/**
 * Scores each section: page title words count 3, heading words 2, body occurrences 1 each (up to 3).
 * A word on most pages (the shop's name, "account") says little about which page: it counts a quarter.
 */
export function searchSections(sections: readonly Section[], query: string, limit = 3): DocHit[] {
  const wanted = [...new Set(terms(query))];
  if (wanted.length === 0) return [];
  const pages = pageTerms(sections);
  const weight = new Map(wanted.map((term) => [term, [...pages.values()].filter((words) => words.has(term)).length * 2 > pages.size ? 0.25 : 1]));
  const hits: DocHit[] = [];
  for (const section of sections) {
    const page = new Set(terms(section.page));
    const heading = new Set(terms(section.heading));
    const body = terms(section.body);
    let score = 0;
    for (const term of wanted) {
      const w = weight.get(term)!;
      if (page.has(term)) score += 3 * w;
      if (heading.has(term)) score += 2 * w;
      score += w * Math.min(3, body.filter((word) => word === term).length);
    }
    if (score === 0) continue;
    const snippet = shorten(section.body, 240);
    hits.push({ title: section.heading ? `${section.page}: ${section.heading}` : section.page, snippet, source: section.file, score });
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
}

/** `search_docs(query)` over the markdown pages in `dir` (read once, on first use). */
export function createSearchDocsTool(dir: string): Tool {
  let sections: Section[] | undefined;
  return defineTool({
    name: 'search_docs',
    description:
      'Search the Northwind help center documentation (guides and FAQ): shipping and delivery times, returns and refund policy, accounts, login and passwords, payment methods, membership plans and pricing, warranty and repairs, troubleshooting the app.',
    parameters: z.object({ query: z.string().trim().min(1).max(300).describe('What to look for, in a few words') }),
    execute: ({ query }) => {
      sections ??= readSections(dir);
      const results = searchSections(sections, query).map(({ score: _score, ...hit }) => hit);
      // Nothing found is an answer (`found: false`), shown to the visitor as such, not as a failure.
      return results.length > 0 ? { query, results } : { found: false, query, results, message: 'No help article matched. Try other words.' };
    },
  });
}

/** The demo's help center: demo/docs. */
export const DEMO_DOCS_DIR = fileURLToPath(new URL('../docs/', import.meta.url));

export const searchDocsTool = createSearchDocsTool(DEMO_DOCS_DIR);
