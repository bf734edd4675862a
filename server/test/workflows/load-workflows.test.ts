import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CONNECTORS_FILE } from '../../../demo/demo-options.ts';
import { demoTools } from '../../../demo/tools/index.ts';
import { loadConnectors } from '../../src/connectors/index.ts';
import { defineInputGuardrail, GuardrailRegistry } from '../../src/agents/guardrails/guardrail.ts';
import { createBuiltinToolRegistry } from '../../src/workflows/builtin-tools.ts';
import { loadWorkflows, WorkflowLoadError } from '../../src/workflows/load-workflows.ts';

const registries = {
  tools: createBuiltinToolRegistry(demoTools),
  guardrails: new GuardrailRegistry([defineInputGuardrail({ name: 'polite', execute: () => ({ tripwireTriggered: false }) })]),
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'workflows-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A valid support-like workflow to break one field at a time. */
function base() {
  return {
    id: 'support',
    name: 'Support',
    entryAgent: 'triage',
    agents: [
      { id: 'triage', name: 'Triage', instructions: 't', handoffs: [{ agent: 'billing', description: 'billing' }], inputGuardrails: [{ kind: 'custom', ref: 'polite' }] },
      { id: 'technical', name: 'Technical', instructions: 't', tools: ['service_status'] },
      { id: 'billing', name: 'Billing', instructions: 'b', tools: ['lookup_order', { name: 'refund_order', needsApproval: true }, 'shop_api'] },
    ],
    tools: [
      {
        name: 'shop_api',
        kind: 'http',
        description: 'Shop API',
        url: 'https://api.shop.test/orders/{order_id}',
        parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
        allowedHosts: ['api.shop.test'],
      },
    ],
  };
}

type Base = ReturnType<typeof base>;

/** Writes one file, loads the directory, and returns the error message. */
function errorFor(mutate: (wf: Base) => unknown, file = 'support.json'): string {
  const wf = base();
  const out = mutate(wf);
  writeFileSync(join(dir, file), typeof out === 'string' ? out : JSON.stringify(out ?? wf));
  try {
    loadWorkflows(dir, registries);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowLoadError);
    return (error as Error).message;
  }
  throw new Error('expected the load to fail');
}

describe('loadWorkflows', () => {
  it('loads a valid file with defaults applied', () => {
    writeFileSync(join(dir, 'support.json'), JSON.stringify(base()));
    const workflows = loadWorkflows(dir, registries);
    expect([...workflows.keys()]).toEqual(['support']);
    expect(workflows.get('support')?.limits).toEqual({ maxTurns: 10, maxToolCalls: 20, runTimeoutMs: 120_000 });
  });

  it('loads the demo workflows, with the connectors of the demo connectors file', () => {
    const demo = fileURLToPath(new URL('../../../demo/workflows/', import.meta.url));
    const connectors = new Map(loadConnectors(DEMO_CONNECTORS_FILE, {}).map((spec) => [spec.id, spec]));
    const workflows = loadWorkflows(demo, { ...registries, connectors });
    expect([...workflows.keys()].sort()).toEqual(['support', 'weather']);
    expect(workflows.get('support')?.agents.map((a) => a.id)).toEqual(['triage', 'billing', 'technical', 'product']);
    expect(workflows.get('support')?.agents[3]?.tools[1]).toMatchObject({ kind: 'mcp', connector: 'inventory', tools: ['check_stock', 'reserve_item'] });
    // Without the connectors file the product agent's inventory entry is an error, not a silent gap.
    expect(() => loadWorkflows(demo, registries)).toThrow(/support\.json: agents\[3\]\.tools\[1\]\.connector: unknown connector "inventory"/);
  });

  const cases: [string, (wf: Base) => unknown, string][] = [
    ['a handoff to an unknown agent', (wf) => void (wf.agents[0]!.handoffs = [{ agent: 'biling', description: 'x' }]), 'support.json: agents[0].handoffs[0]: unknown agent "biling"'],
    ['an unknown entry agent', (wf) => void (wf.entryAgent = 'front'), 'support.json: entryAgent: unknown agent "front"'],
    ['a duplicate agent id', (wf) => void (wf.agents[2]!.id = 'technical'), 'support.json: agents[2].id: duplicate agent id "technical"'],
    ['an unknown tool', (wf) => void (wf.agents[1]!.tools = ['service_stat']), 'support.json: agents[1].tools[0]: unknown tool "service_stat"'],
    ['an unknown custom guardrail', (wf) => void (wf.agents[0]!.inputGuardrails = [{ kind: 'custom', ref: 'rude' }]), 'support.json: agents[0].inputGuardrails[0].ref: unknown custom guardrail "rude"'],
    ['a custom guardrail on the wrong stage', (wf) => void Object.assign(wf.agents[1]!, { outputGuardrails: [{ kind: 'custom', ref: 'polite' }] }), 'support.json: agents[1].outputGuardrails[0].ref: custom guardrail "polite" cannot run on output'],
    ['an invalid regex', (wf) => void Object.assign(wf.agents[1]!, { outputGuardrails: [{ kind: 'blocklist', patterns: ['ok', '(unclosed'] }] }), 'support.json: agents[1].outputGuardrails[0].patterns[1]: invalid regular expression'],
    ['a schema error', (wf) => void Object.assign(wf.agents[0]!, { inputGuardrails: [{ kind: 'pii', mode: 'mask' }] }), 'support.json: agents[0].inputGuardrails[0].mode: Invalid option'],
    ['an unknown guardrail kind', (wf) => void Object.assign(wf.agents[0]!, { inputGuardrails: [{ kind: 'profanity' }] }), 'support.json: agents[0].inputGuardrails[0].kind: Invalid discriminator value'],
    ['a misspelled field', (wf) => void Object.assign(wf.agents[1]!, { handofs: [] }), 'support.json: agents[1].handofs: unknown field'],
    ['an HTTP tool that is not http(s)', (wf) => void (wf.tools[0]!.url = 'file:///etc/passwd'), 'support.json: tools[0].url: must be an http(s) URL'],
    ['an HTTP tool host outside its allowlist', (wf) => void (wf.tools[0]!.url = 'https://evil.test/{order_id}'), 'support.json: tools[0].url: host "evil.test" is not in allowedHosts'],
    ['an undeclared URL placeholder', (wf) => void (wf.tools[0]!.url = 'https://api.shop.test/{orderId}'), 'support.json: tools[0].url: {orderId} is not a declared parameter'],
    ['an HTTP tool shadowing a built-in', (wf) => void (wf.tools[0]!.name = 'lookup_order'), 'support.json: tools[0].name: "lookup_order" is already a built-in tool'],
    ['a wrong limit', (wf) => void Object.assign(wf, { limits: { maxTurns: 0 } }), 'support.json: limits.maxTurns: Too small'],
    ['invalid JSON (line and column of the error)', () => '{\n  "id": "support"\n  "name": "x"\n}', "support.json:3:3: invalid JSON: Expected ',' or '}' after property value"],
    ['an unexpected token (located, the quoted text left out)', () => '{\n  "id": }', "support.json:2:9: invalid JSON: Unexpected token '}'"],
    ['JSON cut short (where it ends)', () => '{"id": "support",', 'support.json:1:18: invalid JSON: Expected double-quoted property name'],
  ];

  it.each(cases)('names the file and field for %s', (_name, mutate, expected) => {
    expect(errorFor(mutate)).toContain(expected);
  });

  it('the message for a single problem is exactly one line', () => {
    expect(errorFor((wf) => void (wf.agents[0]!.handoffs = [{ agent: 'biling', description: 'x' }]))).toBe('support.json: agents[0].handoffs[0]: unknown agent "biling"');
  });

  it('reports duplicate workflow ids across files', () => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify(base()));
    expect(errorFor(() => undefined, 'b.json')).toBe('b.json: id: duplicate workflow id "support" (also in a.json)');
  });

  it('lists the problems of every file at once', () => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ ...base(), id: 'a', entryAgent: 'nobody' }));
    const message = errorFor((wf) => void (wf.agents[1]!.tools = ['nope']), 'b.json');
    expect(message.split('\n')).toEqual(['a.json: entryAgent: unknown agent "nobody"', 'b.json: agents[1].tools[0]: unknown tool "nope"']);
  });

  it('follows symbolic links (a ConfigMap mount) and names a broken one', () => {
    const target = join(dir, 'real');
    mkdirSync(target);
    writeFileSync(join(target, 'support.json'), JSON.stringify(base()));
    symlinkSync(join(target, 'support.json'), join(dir, 'support.json'));
    expect([...loadWorkflows(dir, registries).keys()]).toEqual(['support']);
    symlinkSync(join(target, 'gone.json'), join(dir, 'weather.json'));
    expect(errorFor(() => undefined, 'support.json')).toBe('weather.json: cannot read the file (ENOENT)');
  });

  it('fails on a missing or empty directory', () => {
    expect(() => loadWorkflows(dir, registries)).toThrow(/no workflow files/);
    expect(() => loadWorkflows(join(dir, 'nope'), registries)).toThrow(/cannot read the workflows directory \(ENOENT\)/);
  });
});
