import { describe, expect, it } from 'vitest';
import { minifyCssParts, minifyHtmlParts, minifyLitTemplates } from '../scripts/vite/minify-lit-templates.ts';

describe('minify-lit-templates: the build-time minifier of css`` and html`` literals', () => {
  it('collapses whitespace between tags and attributes, and leaves quoted values, <pre> and bindings alone', () => {
    const parts = ['\n  <div\n    class="a  b"\n    title=\'x\n   y\'\n  >\n    <pre>\n  keep   this\n</pre>\n    <b>', '</b> <i>', '</i>\n  </div>\n'];
    expect(minifyHtmlParts(parts)).toEqual(['\n<div class="a  b" title=\'x\n   y\'>\n<pre>\n  keep   this\n</pre>\n<b>', '</b> <i>', '</i>\n</div>\n']);
  });

  it('keeps a <pre> whose content is split by a binding as written', () => {
    expect(minifyHtmlParts(['<pre>\n  a\n', '\n   b</pre>\n  x'])).toEqual(['<pre>\n  a\n', '\n   b</pre>\nx']);
  });

  it('minifies CSS with lightningcss, keeping interpolated fragments in place and long numbers exact', () => {
    const fragment = minifyCssParts(['\n  --_a: #ffffff;\n  color-scheme: light;\n'], 'fragment');
    expect(fragment).toEqual(['--_a:#fff;color-scheme:light']);
    const sheet = minifyCssParts(['\n  /* note */\n  .a {\n    ', '\n    z-index: var(--z, 2147483000);\n  }\n  @media (x) { .b { ', ' } }\n'], 'sheet');
    expect(sheet).toEqual(['.a{', ';z-index:var(--z,2147483000)}@media (x){.b{', '}}']);
  });

  it('rewrites only css``, html`` and svg`` literals of a module, escapes included', () => {
    const code = "import { css, html } from 'lit';\nconst s = css`\n  .a {\n    color: red;\n  }\n`;\nconst t = html`\n  <p>${s}</p>\n`;\nconst u = other`\n  keep\n`;\nconst v = html`<p>\\`</p>\n  `;\n";
    expect(minifyLitTemplates(code, 'x.ts')).toBe("import { css, html } from 'lit';\nconst s = css`.a{color:red}`;\nconst t = html`\n<p>${s}</p>\n`;\nconst u = other`\n  keep\n`;\nconst v = html`<p>\\`</p>\n  `;\n");
  });
});
