import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { displayPath } from '../../src/cli/display-path.ts';
import { validateCommand } from '../../src/cli/validate-command.ts';
import { capturedIo } from '../helpers/captured-io.ts';
import { SITE_SECRETS, twoSites, writeSitesFile } from '../helpers/sites.ts';
import { removeDir, tempDataDir } from '../helpers/temp-dir.ts';

const DEMO_WORKFLOWS = fileURLToPath(new URL('../../../demo/workflows/', import.meta.url));
const DEMO_TOOLS = fileURLToPath(new URL('../../../demo/tools/index.ts', import.meta.url));
const DEMO_SITES = fileURLToPath(new URL('../../../demo/sites.example.json', import.meta.url));
const DEMO_CONNECTORS = fileURLToPath(new URL('../../../demo/connectors.json', import.meta.url));
const DEMO_SECRETS = { NORTHWIND_USER_TOKEN_SECRET: 'n'.repeat(32), NORTHWIND_ADMIN_KEY: 'a'.repeat(32) };

/** A valid one-agent workflow. */
function workflow(id: string, extra: Record<string, unknown> = {}) {
  return { id, name: id, entryAgent: 'main', agents: [{ id: 'main', name: 'Main', instructions: 'Help.', tools: ['current_time'] }], ...extra };
}

/** The env the command runs with: nothing from this machine's own configuration. */
const env = (more: Record<string, string> = {}) => ({ ...more });

describe('agent-chat validate', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));
  const tempDir = () => {
    const d = tempDataDir();
    dirs.push(d);
    return d;
  };
  /** How the command names a file under `dir` (relative to the current directory, as it prints them). */
  const shown = (path: string) => displayPath(path);

  it('reports every problem of every file at once, with positions, and exits 1', async () => {
    const root = tempDir();
    const dir = join(root, 'workflows');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-broken.json'), '{\n  "id": "a"\n  "name": "A"\n}');
    writeFileSync(join(dir, 'b-token.json'), '{\n  "id": "b",\n  "name": \'B\'\n}');
    writeFileSync(join(dir, 'c-schema.json'), JSON.stringify(workflow('c', { limits: { maxTurns: 0 } }), null, 2));
    writeFileSync(join(dir, 'd-good.json'), JSON.stringify(workflow('support')));
    const sites = twoSites(); // blog names "weather", which is not in the directory
    const sitesFile = writeSitesFile(root, sites);
    const io = capturedIo(env({ ...SITE_SECRETS, SITES_FILE: sitesFile }));

    expect(await validateCommand([dir], io)).toBe(1);
    expect(io.lines()).toEqual([
      `${shown(join(dir, 'a-broken.json'))}:3:3: invalid JSON: Expected ',' or '}' after property value`,
      `${shown(join(dir, 'b-token.json'))}:3:11: invalid JSON: Unexpected token '''`,
      `${shown(join(dir, 'c-schema.json'))}: limits.maxTurns: Too small: expected number to be >0`,
      `${shown(sitesFile)}: sites[1].allowedWorkflows[1]: unknown workflow "weather"`,
      '4 problems found',
    ]);
    expect(io.err()).toBe('');
  });

  it('reports sites file problems together with the workflows', async () => {
    const root = tempDir();
    const dir = join(root, 'workflows');
    mkdirSync(dir);
    writeFileSync(join(dir, 'support.json'), JSON.stringify(workflow('support', { entryAgent: 'front' })));
    const sitesFile = writeSitesFile(root, '{ "sites": [ }');
    const io = capturedIo(env());

    expect(await validateCommand([dir, '--sites', sitesFile], io)).toBe(1);
    expect(io.lines()).toEqual([
      `${shown(join(dir, 'support.json'))}: entryAgent: unknown agent "front"`,
      `${shown(sitesFile)}:1:14: invalid JSON: Unexpected token '}'`,
      '2 problems found',
    ]);
  });

  it("accepts the demo's workflows, tools and sites file", async () => {
    const io = capturedIo(env({ ...DEMO_SECRETS, WORKFLOWS_DIR: DEMO_WORKFLOWS, SITES_FILE: DEMO_SITES, CONNECTORS_FILE: DEMO_CONNECTORS }));
    expect(await validateCommand(['--tools', DEMO_TOOLS], io)).toBe(0);
    expect(io.lines()).toEqual(['2 workflows, 1 site, 1 connector OK']);
  });

  it('reports production without a sites file, which the server refuses to start on', async () => {
    const io = capturedIo(env({ NODE_ENV: 'production', WORKFLOWS_DIR: DEMO_WORKFLOWS, CONNECTORS_FILE: DEMO_CONNECTORS }));
    expect(await validateCommand(['--tools', DEMO_TOOLS], io)).toBe(1);
    expect(io.lines()[0]).toMatch(/^environment: NODE_ENV=production without SITES_FILE would run open/);
    // The same with a sites file (the flag's), or ALLOW_OPEN=1, is fine.
    const withSites = capturedIo(env({ ...DEMO_SECRETS, NODE_ENV: 'production', WORKFLOWS_DIR: DEMO_WORKFLOWS, CONNECTORS_FILE: DEMO_CONNECTORS }));
    expect(await validateCommand(['--tools', DEMO_TOOLS, '--sites', DEMO_SITES], withSites)).toBe(0);
    const allowed = capturedIo(env({ NODE_ENV: 'production', ALLOW_OPEN: '1', WORKFLOWS_DIR: DEMO_WORKFLOWS, CONNECTORS_FILE: DEMO_CONNECTORS }));
    expect(await validateCommand(['--tools', DEMO_TOOLS], allowed)).toBe(0);
  });

  it('without --tools, a tool only code provides is a warning that fails only with --strict', async () => {
    const relaxed = capturedIo(env({ WORKFLOWS_DIR: DEMO_WORKFLOWS, CONNECTORS_FILE: DEMO_CONNECTORS }));
    expect(await validateCommand([], relaxed)).toBe(0);
    expect(relaxed.lines()).toContain(`${shown(join(DEMO_WORKFLOWS, 'weather.json'))}: agents[0].tools[0]: unknown tool "get_weather" (warning)`);
    expect(relaxed.lines().at(-1)).toMatch(/^2 workflows, 0 sites, 1 connector OK \(no sites file: the server runs open\); 6 warnings: /);

    const strict = capturedIo(env({ WORKFLOWS_DIR: DEMO_WORKFLOWS, CONNECTORS_FILE: DEMO_CONNECTORS }));
    expect(await validateCommand(['--strict'], strict)).toBe(1);
    expect(strict.lines()).toContain(`${shown(join(DEMO_WORKFLOWS, 'weather.json'))}: agents[0].tools[0]: unknown tool "get_weather"`);
    expect(strict.lines().at(-1)).toBe('6 problems found');
  });

  it('with --tools, a misspelled tool name is an error', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'shop.json'), JSON.stringify(workflow('shop', { agents: [{ id: 'main', name: 'Main', instructions: 'x', tools: ['lookup_ordr'] }] })));
    const io = capturedIo(env());
    expect(await validateCommand([dir, '--tools', DEMO_TOOLS], io)).toBe(1);
    expect(io.lines()).toEqual([`${shown(join(dir, 'shop.json'))}: agents[0].tools[0]: unknown tool "lookup_ordr"`, '1 problem found']);
  });

  it('names the field of a tool title or label that does not match the tool’s arguments', async () => {
    const dir = tempDir();
    const forecast = {
      name: 'get_forecast', description: 'Forecast', kind: 'http', url: 'https://api.example.com/{city}', allowedHosts: ['api.example.com'],
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
      title: 'Forecast for {town}', args: { city: { format: 'currency' } },
    };
    const tools = [
      { name: 'refund_order', title: 'Refund order {order} — {amount}', args: { amount: { format: 'money' }, reson: { label: 'Reason' } } },
      { name: 'get_forecast', args: { city: { label: 'City' } } },
      { name: 'lookup_ordr', title: 'Look up {order_id}' },
    ];
    writeFileSync(join(dir, 'shop.json'), JSON.stringify(workflow('shop', { tools: [forecast], agents: [{ id: 'main', name: 'Main', instructions: 'x', tools }] })));
    const io = capturedIo(env());
    expect(await validateCommand([dir, '--tools', DEMO_TOOLS], io)).toBe(1);
    const file = shown(join(dir, 'shop.json'));
    expect(io.lines()).toEqual([
      `${file}: agents[0].tools[0].args.amount.format: Invalid option: expected one of "text"|"number"|"currency"|"date"`,
      `${file}: tools[0].args.city.currency: format "currency" needs a currency code, e.g. "currency": "USD"`,
      '2 problems found',
    ]);
    // Once the schema accepts the file, the cross-checks name placeholders and labels of undeclared arguments.
    forecast.args = { city: { label: 'City' } } as never;
    (tools[0] as { args: unknown }).args = { amount: { format: 'currency', currency: 'USD' }, reson: { label: 'Reason' } };
    writeFileSync(join(dir, 'shop.json'), JSON.stringify(workflow('shop', { tools: [forecast], agents: [{ id: 'main', name: 'Main', instructions: 'x', tools }] })));
    const again = capturedIo(env());
    expect(await validateCommand([dir, '--tools', DEMO_TOOLS], again)).toBe(1);
    expect(again.lines()).toEqual([
      `${file}: tools[0].title: {town} is not a declared parameter`,
      `${file}: agents[0].tools[0].title: {order} is not a declared parameter`,
      `${file}: agents[0].tools[0].args.reson: "reson" is not a declared parameter`,
      `${file}: agents[0].tools[2]: unknown tool "lookup_ordr"`,
      '4 problems found',
    ]);
  });

  it('takes custom guardrails from the --tools module too', async () => {
    const dir = tempDir();
    const agent = (ref: string) => ({ id: 'main', name: 'Main', instructions: 'x', inputGuardrails: [{ kind: 'custom', ref }] });
    writeFileSync(join(dir, 'a.json'), JSON.stringify(workflow('a', { agents: [agent('polite')] })));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(workflow('b', { agents: [agent('rude')] })));
    const module = join(tempDir(), 'guardrails.mjs');
    writeFileSync(module, `export default [{ name: 'polite', stages: ['input'], execute: () => ({ tripwireTriggered: false }) }];\n`);

    const relaxed = capturedIo(env());
    expect(await validateCommand([dir], relaxed)).toBe(0);
    expect(relaxed.lines().slice(0, 2)).toEqual([
      `${shown(join(dir, 'a.json'))}: agents[0].inputGuardrails[0].ref: unknown custom guardrail "polite" (warning)`,
      `${shown(join(dir, 'b.json'))}: agents[0].inputGuardrails[0].ref: unknown custom guardrail "rude" (warning)`,
    ]);

    const known = capturedIo(env());
    expect(await validateCommand([dir, '--tools', module], known)).toBe(1);
    expect(known.lines()).toEqual([`${shown(join(dir, 'b.json'))}: agents[0].inputGuardrails[0].ref: unknown custom guardrail "rude"`, '1 problem found']);
  });

  it('refuses bad arguments, a module without tools and a bad environment', async () => {
    const flag = capturedIo(env());
    expect(await validateCommand(['--frobnicate'], flag)).toBe(2);
    expect(flag.err()).toMatch(/Unknown option '--frobnicate'[\s\S]*Usage: agent-chat validate/);

    const noTools = capturedIo(env({ WORKFLOWS_DIR: DEMO_WORKFLOWS }));
    const config = fileURLToPath(new URL('../../src/config.ts', import.meta.url));
    expect(await validateCommand(['--tools', config], noTools)).toBe(2);
    expect(noTools.err()).toMatch(/cannot load the tools module .*config\.ts: it exports no array of tools or guardrails/);

    const missing = capturedIo(env());
    expect(await validateCommand(['--tools', join(tempDir(), 'nope.js')], missing)).toBe(2);
    expect(missing.err()).toMatch(/cannot load the tools module/);

    const badEnv = capturedIo(env({ PORT: 'eighty' }));
    expect(await validateCommand([], badEnv)).toBe(1);
    expect(badEnv.err()).toBe('environment: PORT: must be an integer between 0 and 65535\n');

    const help = capturedIo(env());
    expect(await validateCommand(['--help'], help)).toBe(0);
    expect(help.out()).toMatch(/^Usage: agent-chat validate/);
  });

  it('says when the directory is missing', async () => {
    const dir = join(tempDir(), 'nope');
    const io = capturedIo(env());
    expect(await validateCommand([dir], io)).toBe(1);
    expect(io.lines()).toEqual([`${shown(dir)}: cannot read the workflows directory (ENOENT)`, '1 problem found']);
  });
});
