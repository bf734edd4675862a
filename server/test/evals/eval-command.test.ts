import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { displayPath } from '../../src/cli/display-path.ts';
import { evalCommand } from '../../src/cli/eval-command.ts';
import { escapeXml } from '../../src/evals/report-junit.ts';
import { capturedIo } from '../helpers/captured-io.ts';
import { removeDir, tempDataDir } from '../helpers/temp-dir.ts';
import { DEMO } from './demo-eval.ts';

/** The demo's configuration, and nothing from this machine's environment (no key: the offline model). */
const env = () => ({ WORKFLOWS_DIR: DEMO.workflows, CONNECTORS_FILE: DEMO.connectors });
const demoCase = (id: string) => readFileSync(DEMO.cases, 'utf8').split('\n').find((line) => line.includes(`"id":"${id}"`))!;

describe('agent-chat eval', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));
  const tempDir = () => {
    const d = tempDataDir();
    dirs.push(d);
    return d;
  };

  it('all passing: the table, a summary line, JSONL and JUnit files, exit 0', async () => {
    const dir = tempDir();
    const cases = join(dir, 'cases.jsonl');
    writeFileSync(cases, `${demoCase('weather-paris')}\n${demoCase('refund-approved')}\n`);
    const io = capturedIo(env());
    const code = await evalCommand([cases, '--no-store', '--tools', DEMO.tools, '--concurrency', '2', '--jsonl', join(dir, 'out.jsonl'), '--junit', join(dir, 'out.xml')], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(io.lines()).toEqual([
      expect.stringMatching(/^case\s+default$/),
      expect.stringMatching(/^weather-paris\s+✓$/),
      expect.stringMatching(/^refund-approved\s+✓$/),
      expect.stringMatching(/^default: 2\/2 passed \(100%\), [\d,]+ tokens \([\d,]+ in, [\d,]+ out\), \$0\.0000, p50 \d+ ms, p95 \d+ ms$/),
    ]);
    const results = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(results).toHaveLength(2);
    expect(results[1]).toMatchObject({ variant: 'default', case: 'refund-approved', workflow: 'support', pass: true, costUsd: 0, text: expect.stringContaining('RF-1234') });
    expect(results[1].graders).toContainEqual({ label: 'approval_requested refund_order @0', pass: true, message: '' });
    expect(results[1].tokens.total).toBe(results[1].tokens.input + results[1].tokens.output);
    expect(results[1].latencyMs).toHaveLength(2);
    const xml = readFileSync(join(dir, 'out.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="agent-chat eval" tests="2" failures="0">\n {2}<testsuite name="default" tests="2" failures="0" errors="0" time="[\d.]+">\n/);
    expect(xml).toMatch(/<testcase name="weather-paris" classname="default\.weather" time="[\d.]+"\/>/);
    expect(xml.trimEnd().endsWith('</testsuites>')).toBe(true);
  });

  it('a failing case: ✗ with the grader message, JUnit failure escaped, exit 1', async () => {
    const dir = tempDir();
    const cases = join(dir, 'cases.jsonl');
    const id = `odd <&"'\u0007> id`;
    writeFileSync(
      cases,
      `${demoCase('weather-paris')}\n${JSON.stringify({ id, workflow: 'weather', turns: [{ user: 'Weather in Oslo?' }], graders: [{ type: 'contains', value: 'a <b> & "c"' }] })}\n`,
    );
    const io = capturedIo(env());
    expect(await evalCommand([cases, '--tools', DEMO.tools, '--junit', join(dir, 'out.xml')], io)).toBe(1);
    const row = io.lines().find((line) => line.startsWith('odd '));
    expect(row).toMatch(/✗ contains "a <b> & \\"c\\"": the answer does not contain "a <b> & \\"c\\"": "Here's the weather for \*\*Oslo\*\*/);
    expect(io.out()).toContain('default: 1/2 passed (50%)');
    const xml = readFileSync(join(dir, 'out.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="default" tests="2" failures="1"');
    expect(xml).toContain(`<testcase name="odd &lt;&amp;&quot;&apos;\uFFFD&gt; id" classname="default.weather"`);
    expect(xml).toMatch(/<failure message="contains &quot;a &lt;b&gt; &amp; \\&quot;c\\&quot;&quot;: the answer does not contain [^"<>]*" type="grader">/);
    // Well-formed enough for any parser: no raw markup character or control character inside a value.
    for (const value of xml.matchAll(/="([^"]*)"/g)) expect(value[1]).not.toMatch(/[<&](?!(amp|lt|gt|quot|apos|#\d+);)|[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  });

  it('escapes XML special and control characters', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\u001Fc\uFFFEd\uD800e')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    expect(escapeXml('tab\tline\ncr\r😀')).toBe('tab&#9;line&#10;cr&#13;😀');
  });

  it('bad arguments and files: exit 2 with the reason', async () => {
    const dir = tempDir();
    const cases = join(dir, 'cases.jsonl');
    writeFileSync(cases, `${demoCase('weather-paris')}\n{"id": "b", "turns": [], "graders": []}\n`);
    const io = capturedIo(env());
    expect(await evalCommand([cases], io)).toBe(2);
    expect(io.err()).toBe(`${displayPath(cases)}:2: turns: Too small: expected array to have >=1 items\n${displayPath(cases)}:2: graders: Too small: expected array to have >=1 items\n`);

    const good = join(dir, 'good.jsonl');
    writeFileSync(good, `${demoCase('weather-paris')}\n`);
    const badVariant = join(dir, 'variant.json');
    writeFileSync(badVariant, JSON.stringify({ id: 'support', name: 'S', entryAgent: 'nobody', agents: [{ id: 'a', name: 'A', instructions: 'x' }] }));
    const attempts: Array<[string[], RegExp]> = [
      [[], /name the cases file/],
      [[good, '--bogus'], /Unknown option '--bogus'/],
      [[good, '--concurrency', '0'], /--concurrency must be a whole number from 1 to 64, not "0"/],
      [[good, '--variant', 'nameonly'], /--variant takes name=path\/to\/workflow\.json, not "nameonly"/],
      [[good, '--tools', DEMO.tools, '--variant', `b=${badVariant}`], /variant\.json: entryAgent: .*nobody/],
      [[good, '--tools', DEMO.tools, '--workflow', 'nope'], /--workflow: no workflow "nope"/],
      [[good, '--prices', join(dir, 'missing.json')], /missing\.json: ENOENT/],
      // Without the demo's tools, its workflows name tools nothing provides: the server would not start either.
      [[good], /unknown tool/],
    ];
    for (const [args, expected] of attempts) {
      const attempt = capturedIo(env());
      expect(await evalCommand(args, attempt), args.join(' ')).toBe(2);
      expect(attempt.err()).toMatch(expected);
    }
    const help = capturedIo(env());
    expect(await evalCommand(['--help'], help)).toBe(0);
    expect(help.out()).toContain('Usage: agent-chat eval <cases.jsonl> [options]');
  });
});
