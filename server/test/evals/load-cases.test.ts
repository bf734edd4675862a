import { describe, expect, it } from 'vitest';
import { EvalCasesError, loadCases, parseCases } from '../../src/evals/load-cases.ts';
import { DEMO } from './demo-eval.ts';

const line = (value: unknown) => JSON.stringify(value);
const good = { id: 'a', workflow: 'support', turns: [{ user: 'hi' }, { approve: true, tool: 'refund_order' }], graders: [{ type: 'contains', value: 'x', turn: 1 }] };

function problems(text: string): string[] {
  try {
    parseCases('cases.jsonl', text);
  } catch (error) {
    if (error instanceof EvalCasesError) return [...error.problems];
    throw error;
  }
  throw new Error('no problem reported');
}

describe('eval cases file', () => {
  it('reads one case a line, skipping blank and # lines', () => {
    const cases = parseCases('cases.jsonl', `# a comment\n${line(good)}\n\n${line({ ...good, id: 'b' })}\n`);
    expect(cases.map((c) => c.id)).toEqual(['a', 'b']);
    expect(cases[0]!.turns[1]).toEqual({ approve: true, tool: 'refund_order' });
  });

  it('names file:line: path: message for every bad line at once', () => {
    const text = [
      line(good),
      '{"id": "b", "turns": [',
      line({ ...good, id: 'c', graders: [{ type: 'tool_called' }] }),
      line({ ...good, id: 'd', graders: [{ type: 'no_such_grader' }] }),
      line({ ...good, id: 'e', turns: [{ approve: true }], graders: [{ type: 'contains', value: 'x' }] }),
      line({ ...good, id: 'f', graders: [{ type: 'contains', value: 'x', turn: 5 }] }),
      line({ ...good, id: 'a' }),
      line({ ...good, id: 'g', extra: 1 }),
      line({ ...good, id: 'h', graders: [{ type: 'regex', pattern: 'x', flags: 'q' }] }),
    ].join('\n');
    expect(problems(text)).toEqual([
      expect.stringMatching(/^cases\.jsonl:2: invalid JSON: /),
      'cases.jsonl:3: graders[0].name: Invalid input: expected string, received undefined',
      expect.stringMatching(/^cases\.jsonl:4: graders\[0\]\.type: Invalid discriminator value\. Expected 'contains' \| /),
      'cases.jsonl:5: turns[0]: the first turn must be a user message',
      'cases.jsonl:6: graders[0].turn: no turn 5 (the case has 2)',
      'cases.jsonl:7: id: duplicate case id "a" (also on line 1)',
      'cases.jsonl:8: unknown field(s): extra',
      'cases.jsonl:9: graders[0].flags: only JavaScript regex flags',
    ]);
  });

  it('an empty or missing file is a problem too', () => {
    expect(problems('\n# nothing\n')).toEqual(['cases.jsonl: no cases']);
    expect(() => loadCases('/nonexistent/cases.jsonl', 'cases.jsonl')).toThrow('cases.jsonl: cannot read the file (ENOENT)');
  });

  it('the demo cases file is valid and has at least 20 cases', () => {
    expect(loadCases(DEMO.cases).length).toBeGreaterThanOrEqual(20);
  });
});
