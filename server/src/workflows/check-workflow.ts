import { type AgentSpec, type ConnectorSpec, type GuardrailSpec, type GuardrailStage, isToolOffered, type McpToolRef, toolDisplayProblems, toolRefName, type Workflow } from '@agent-chat/shared';
import { compileParameters, isHostAllowed, urlPlaceholders } from '../agents/http-tool.ts';
import type { GuardrailRegistry } from '../agents/guardrails/guardrail.ts';
import { compilePattern } from '../agents/guardrails/blocklist.ts';
import type { ToolRegistry } from '../agents/tool.ts';
import { HANDOFF_PREFIX } from '../agents/handoff.ts';

/** The registries a workflow's names must resolve in. */
export interface WorkflowRegistries {
  tools: ToolRegistry;
  guardrails?: GuardrailRegistry;
  /** The connectors file's connectors, by id, with the tool lists the operator allowed and blocked. */
  connectors?: ReadonlyMap<string, Pick<ConnectorSpec, 'allow' | 'block'>>;
}

/** One problem in a file: the field path (`agents[2].handoffs[0]`) and what is wrong. */
export interface Problem {
  path: string;
  message: string;
  /**
   * Set when a tool, custom guardrail or connector name resolves in none of the registries
   * given. Such names are provided by code (the tools passed to createServer) or by the
   * connectors file, so a check that has not seen them may report them as warnings rather than errors.
   */
  unresolved?: 'tool' | 'guardrail' | 'connector';
}

function regexProblem(pattern: string): string | undefined {
  try {
    compilePattern(pattern);
    return undefined;
  } catch (error) {
    return `invalid regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function checkGuardrail(spec: GuardrailSpec, path: string, stage: GuardrailStage, registries: WorkflowRegistries, out: Problem[]): void {
  switch (spec.kind) {
    case 'custom': {
      const guardrail = registries.guardrails?.get(spec.ref);
      if (!guardrail) out.push({ path: `${path}.ref`, message: `unknown custom guardrail "${spec.ref}"`, unresolved: 'guardrail' });
      else if (!guardrail.stages.includes(stage)) out.push({ path: `${path}.ref`, message: `custom guardrail "${spec.ref}" cannot run on ${stage}` });
      break;
    }
    case 'blocklist':
      if (spec.words.length === 0 && spec.patterns.length === 0) out.push({ path, message: 'a blocklist needs words or patterns' });
      spec.patterns.forEach((pattern, k) => {
        const problem = regexProblem(pattern);
        if (problem) out.push({ path: `${path}.patterns[${k}]`, message: problem });
      });
      break;
    case 'prompt_injection':
      spec.extraPatterns.forEach((pattern, k) => {
        const problem = regexProblem(pattern);
        if (problem) out.push({ path: `${path}.extraPatterns[${k}]`, message: problem });
      });
      break;
    case 'max_length':
      if (spec.maxChars === undefined && spec.maxWords === undefined) out.push({ path, message: 'set maxChars or maxWords' });
      break;
    default:
      break;
  }
}

function checkHttpTools(workflow: Workflow, registries: WorkflowRegistries, out: Problem[]): void {
  const seen = new Set<string>();
  workflow.tools.forEach((tool, k) => {
    const path = `tools[${k}]`;
    if (seen.has(tool.name)) out.push({ path: `${path}.name`, message: `duplicate tool name "${tool.name}"` });
    seen.add(tool.name);
    if (registries.tools.has(tool.name)) out.push({ path: `${path}.name`, message: `"${tool.name}" is already a built-in tool` });
    if (tool.name.startsWith(HANDOFF_PREFIX)) out.push({ path: `${path}.name`, message: `names starting with ${HANDOFF_PREFIX} are reserved for handoffs` });
    const declared = Object.keys(tool.parameters.properties);
    for (const problem of toolDisplayProblems(tool, declared)) out.push({ path: `${path}.${problem.path}`, message: problem.message });
    for (const name of urlPlaceholders(tool.url)) {
      if (!declared.includes(name)) out.push({ path: `${path}.url`, message: `{${name}} is not a declared parameter` });
    }
    let url: URL | undefined;
    try {
      url = new URL(tool.url.replace(/\{[a-zA-Z_][a-zA-Z0-9_]*\}/g, 'x'));
    } catch {
      out.push({ path: `${path}.url`, message: 'not a valid URL' });
    }
    if (url && url.protocol !== 'http:' && url.protocol !== 'https:') out.push({ path: `${path}.url`, message: 'must be an http(s) URL' });
    else if (url && !isHostAllowed(url, tool.allowedHosts)) out.push({ path: `${path}.url`, message: `host "${url.host}" is not in allowedHosts` });
    try {
      compileParameters(tool.parameters);
    } catch (error) {
      out.push({ path: `${path}.parameters`, message: `unsupported JSON schema: ${error instanceof Error ? error.message : String(error)}` });
    }
  });
}

function checkAgent(agent: AgentSpec, i: number, workflow: Workflow, registries: WorkflowRegistries, out: Problem[]): void {
  const agentIds = new Set(workflow.agents.map((a) => a.id));
  const targets = new Set<string>();
  agent.handoffs.forEach((handoff, j) => {
    const path = `agents[${i}].handoffs[${j}]`;
    if (!agentIds.has(handoff.agent)) out.push({ path, message: `unknown agent "${handoff.agent}"` });
    else if (handoff.agent === agent.id) out.push({ path, message: 'an agent cannot hand off to itself' });
    else if (targets.has(handoff.agent)) out.push({ path, message: `duplicate handoff to "${handoff.agent}"` });
    targets.add(handoff.agent);
  });
  const tools = new Set<string>();
  const connectors = new Set<string>();
  agent.tools.forEach((ref, j) => {
    const path = `agents[${i}].tools[${j}]`;
    if (typeof ref !== 'string' && ref.kind === 'mcp') {
      if (connectors.has(ref.connector)) out.push({ path, message: `duplicate connector "${ref.connector}": list its tools in one entry` });
      connectors.add(ref.connector);
      checkMcpRef(ref, path, registries, out);
      return;
    }
    const name = toolRefName(ref);
    const parameters = workflow.tools.find((t) => t.name === name)?.parameters ?? registries.tools.get(name)?.parameters;
    if (!parameters) out.push({ path, message: `unknown tool "${name}"`, unresolved: 'tool' });
    else if (tools.has(name)) out.push({ path, message: `duplicate tool "${name}"` });
    else if (typeof ref !== 'string') {
      // A title or label naming an argument the tool does not take would show a raw placeholder.
      for (const problem of toolDisplayProblems(ref, Object.keys(parameters.properties))) out.push({ path: `${path}.${problem.path}`, message: problem.message });
    }
    tools.add(name);
  });
  agent.inputGuardrails.forEach((spec, j) => checkGuardrail(spec, `agents[${i}].inputGuardrails[${j}]`, 'input', registries, out));
  agent.outputGuardrails.forEach((spec, j) => checkGuardrail(spec, `agents[${i}].outputGuardrails[${j}]`, 'output', registries, out));
}

/**
 * An MCP reference: the connector must be registered, and the tools it names must be ones the
 * operator let through (allowed, not blocked); approval and display entries must name tools
 * the reference uses. Whether the server really has them is known only once it is reached.
 */
function checkMcpRef(ref: McpToolRef, path: string, registries: WorkflowRegistries, out: Problem[]): void {
  const spec = registries.connectors?.get(ref.connector);
  if (!spec) {
    out.push({ path: `${path}.connector`, message: `unknown connector "${ref.connector}"`, unresolved: 'connector' });
  } else {
    ref.tools?.forEach((tool, k) => {
      if (isToolOffered(spec, tool)) return;
      const why = spec.block.includes(tool) ? 'is blocked by' : 'is not in the allow list of';
      out.push({ path: `${path}.tools[${k}]`, message: `"${tool}" ${why} connector "${ref.connector}"` });
    });
  }
  const used = (tool: string) => ref.tools === undefined || ref.tools.includes(tool);
  if (Array.isArray(ref.approval)) {
    ref.approval.forEach((tool, k) => {
      if (!used(tool)) out.push({ path: `${path}.approval[${k}]`, message: `"${tool}" is not one of this entry's tools` });
    });
  }
  for (const tool of Object.keys(ref.display ?? {})) {
    if (!used(tool)) out.push({ path: `${path}.display.${tool}`, message: `"${tool}" is not one of this entry's tools` });
  }
}

/**
 * What the schema cannot see: names that must resolve (agents, tools, custom guardrails), ids
 * that must be unique, regular expressions that must compile, HTTP tools that must be safe.
 */
export function checkWorkflow(workflow: Workflow, registries: WorkflowRegistries): Problem[] {
  const out: Problem[] = [];
  const ids = new Set<string>();
  workflow.agents.forEach((agent, i) => {
    if (ids.has(agent.id)) out.push({ path: `agents[${i}].id`, message: `duplicate agent id "${agent.id}"` });
    ids.add(agent.id);
  });
  if (!ids.has(workflow.entryAgent)) out.push({ path: 'entryAgent', message: `unknown agent "${workflow.entryAgent}"` });
  checkHttpTools(workflow, registries, out);
  workflow.agents.forEach((agent, i) => checkAgent(agent, i, workflow, registries, out));
  return out;
}
