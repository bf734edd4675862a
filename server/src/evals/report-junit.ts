import { failureMessage, variantsOf } from './eval-summary.ts';
import type { CaseResult } from './run-eval.ts';

/**
 * Text for an XML attribute or element: the five special characters escaped, and characters
 * XML 1.0 does not allow at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) replaced by U+FFFD.
 * Tab, newline and carriage return are kept (as references inside attributes, so they survive).
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * JUnit XML for CI: one `<testsuite>` per variant, one `<testcase>` per case, a `<failure>` with
 * the failing graders' messages (or the error) for each failed case.
 */
export function formatJunit(results: readonly CaseResult[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = results.length;
  const failures = results.filter((r) => !r.pass).length;
  lines.push(`<testsuites name="agent-chat eval" tests="${total}" failures="${failures}">`);
  for (const variant of variantsOf(results)) {
    const mine = results.filter((r) => r.variant === variant);
    const time = mine.reduce((sum, r) => sum + r.runLatenciesMs.reduce((a, b) => a + b, 0), 0);
    lines.push(
      `  <testsuite name="${escapeXml(variant)}" tests="${mine.length}" failures="${mine.filter((r) => !r.pass).length}" errors="0" time="${seconds(time)}">`,
    );
    for (const r of mine) {
      const attrs = `name="${escapeXml(r.caseId)}" classname="${escapeXml(`${variant}.${r.workflow ?? 'unknown'}`)}" time="${seconds(r.runLatenciesMs.reduce((a, b) => a + b, 0))}"`;
      if (r.pass) {
        lines.push(`    <testcase ${attrs}/>`);
        continue;
      }
      const message = failureMessage(r);
      lines.push(`    <testcase ${attrs}>`);
      lines.push(`      <failure message="${escapeXml(message)}" type="${r.error ? 'error' : 'grader'}">${escapeXml([message, '', 'Answer:', r.text].join('\n'))}</failure>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
