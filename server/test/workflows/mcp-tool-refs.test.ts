import { ToolRef, Workflow, toolRefKind } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { mcpToolName } from '../../src/agents/mcp-tool-source.ts';
import { createBuiltinToolRegistry } from '../../src/workflows/builtin-tools.ts';
import { checkWorkflow } from '../../src/workflows/check-workflow.ts';

const connectors = new Map([
  ['inventory', { block: ['drop_all'] }],
  ['crm', { allow: ['find_customer'], block: [] }],
]);

function workflowWith(tools: unknown[]) {
  return Workflow.parse({ id: 'shop', name: 'Shop', entryAgent: 'a', agents: [{ id: 'a', name: 'A', instructions: 'i', tools }] });
}

const problems = (tools: unknown[], withConnectors = true) =>
  checkWorkflow(workflowWith(tools), { tools: createBuiltinToolRegistry([]), ...(withConnectors ? { connectors } : {}) }).map((p) => `${p.path}: ${p.message}`);

describe('tool references', () => {
  it('are a union on kind: a name (string or object) or an MCP connector', () => {
    expect(toolRefKind(ToolRef.parse('lookup_order'))).toBe('tool');
    expect(toolRefKind(ToolRef.parse({ name: 'lookup_order' }))).toBe('tool');
    expect(toolRefKind(ToolRef.parse({ kind: 'tool', name: 'lookup_order' }))).toBe('tool');
    expect(toolRefKind(ToolRef.parse({ kind: 'mcp', connector: 'inventory', tools: ['check_stock'] }))).toBe('mcp');
  });

  it('name the field that is wrong in an MCP entry', () => {
    const result = ToolRef.safeParse({ kind: 'mcp', connector: 'Bad_Id' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['connector']);
    expect(ToolRef.safeParse({ kind: 'mcp', connector: 'inventory', approval: 'never' }).success).toBe(false);
    expect(ToolRef.safeParse({ kind: 'plugin', name: 'x' }).success).toBe(false);
  });
});

describe('checkWorkflow: MCP references', () => {
  it('accepts registered connectors and tools the operator let through', () => {
    expect(problems([{ kind: 'mcp', connector: 'inventory', tools: ['check_stock'], approval: ['check_stock'] }, { kind: 'mcp', connector: 'crm' }])).toEqual([]);
  });

  it('reports an unknown connector as unresolved (a connector comes from the connectors file)', () => {
    const found = checkWorkflow(workflowWith([{ kind: 'mcp', connector: 'billing' }]), { tools: createBuiltinToolRegistry([]), connectors });
    expect(found).toEqual([{ path: 'agents[0].tools[0].connector', message: 'unknown connector "billing"', unresolved: 'connector' }]);
    expect(problems([{ kind: 'mcp', connector: 'inventory' }], false)).toEqual(['agents[0].tools[0].connector: unknown connector "inventory"']);
  });

  it('reports blocked and not-allowed tools, approvals and displays of tools the entry does not use, and a connector named twice', () => {
    expect(
      problems([
        { kind: 'mcp', connector: 'inventory', tools: ['check_stock', 'drop_all'], approval: ['reserve_item'], display: { other: { title: 'x' } } },
        { kind: 'mcp', connector: 'crm', tools: ['delete_customer'] },
        { kind: 'mcp', connector: 'crm' },
      ]),
    ).toEqual([
      'agents[0].tools[0].tools[1]: "drop_all" is blocked by connector "inventory"',
      'agents[0].tools[0].approval[0]: "reserve_item" is not one of this entry\'s tools',
      'agents[0].tools[0].display.other: "other" is not one of this entry\'s tools',
      'agents[0].tools[1].tools[0]: "delete_customer" is not in the allow list of connector "crm"',
      'agents[0].tools[2]: duplicate connector "crm": list its tools in one entry',
    ]);
  });
});

describe('mcpToolName', () => {
  it('namespaces by connector so two servers\' tools do not collide', () => {
    expect(mcpToolName('inventory', 'search')).toBe('inventory__search');
    expect(mcpToolName('docs', 'search')).toBe('docs__search');
  });

  it('replaces characters model APIs refuse, and cuts long names with a stable hash suffix', () => {
    expect(mcpToolName('files', 'fs.read/file')).toBe('files__fs_read_file');
    const long = mcpToolName('connector', 'x'.repeat(100));
    expect(long).toMatch(/^[a-zA-Z0-9_-]{64}$/);
    expect(mcpToolName('connector', 'x'.repeat(100))).toBe(long);
    expect(mcpToolName('connector', `${'x'.repeat(99)}y`)).not.toBe(long);
  });
});
