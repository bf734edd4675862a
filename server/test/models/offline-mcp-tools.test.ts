import { describe, expect, it } from 'vitest';
import type { ModelTool } from '../../src/models/model.ts';
import { fillArguments } from '../../src/models/offline/fill-arguments.ts';
import { ask, calls, text } from './brain-decisions.ts';
import { actionStem, ownName, toolWords } from '../../src/models/offline/tool-words.ts';
import { alpine2Reservation, alpine2Stock, inventoryTools, MCP_INVENTORY_SCHEMAS } from './mcp-inventory.ts';
import { assistant, call, output, user } from './support-desk.ts';

// The offline model with tools that come from an MCP server: namespaced names
// (`inventory__check_stock`), the server's descriptions and JSON schemas. Nothing here is
// inventory-specific in the model: it reads names, descriptions and schemas like any tool's.

const searchDocs: ModelTool = {
  name: 'search_docs',
  description: 'Search the help center articles.',
  parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
};
const productDesk = { instructions: 'You are the product specialist of Northwind Outfitters.', tools: [searchDocs, ...inventoryTools] };
const reserveOnly = { instructions: 'You are the stock desk.', tools: inventoryTools.filter((t) => t.name.endsWith('reserve_item')) };

const inStock = user('do you have the Alpine 2 tent in stock?');
const checked = [inStock, call('c1', 'inventory__check_stock', { item: 'Alpine 2 tent' }), output('c1', alpine2Stock)];

describe('offline model: routing to MCP tools', () => {
  it('reads a namespaced name by its own part: check_stock reads, reserve_item acts', () => {
    expect(ownName('inventory__reserve_item')).toBe('reserve_item');
    expect(ownName('lookup_order')).toBe('lookup_order');
    expect(toolWords('inventory__check_stock')).toMatchObject({ verb: 'check', object: 'stock', isAction: false });
    expect(toolWords('inventory__reserve_item')).toMatchObject({ verb: 'reserve', object: 'item', isAction: true });
    expect(actionStem('inventory__reserve_item')).toBe('reserv');
  });

  it('a stock question calls check_stock with the product the visitor named, not the whole sentence', () => {
    expect(calls(ask(productDesk, [inStock]))).toEqual([{ name: 'inventory__check_stock', args: { item: 'Alpine 2 tent' } }]);
    expect(calls(ask(productDesk, [user('is the trail boot size 42 available?')]))).toEqual([
      { name: 'inventory__check_stock', args: { item: 'trail boot size 42' } },
    ]);
    expect(calls(ask(productDesk, [user('Do you carry any Stormline rain jackets?')]))).toEqual([
      { name: 'inventory__check_stock', args: { item: 'Stormline rain jackets' } },
    ]);
  });

  it('a policy question still goes to the help center, and a stock question never reserves on its own', () => {
    expect(calls(ask(productDesk, [user('what is your returns policy?')]))).toEqual([
      { name: 'search_docs', args: { query: 'what is your returns policy' } },
    ]);
    // After the check, "in stock?" is answered in words: reserving needs the visitor's own verb.
    expect(ask(productDesk, checked).kind).toBe('text');
  });

  it('"reserve 2 of them" after a check that found one product reserves that SKU', () => {
    const answer = text(ask(productDesk, checked));
    expect(calls(ask(productDesk, [...checked, assistant(answer), user('reserve 2 of them')]))).toEqual([
      { name: 'inventory__reserve_item', args: { sku: 'TN-2002', quantity: 2 } },
    ]);
  });

  it('a SKU and a count in words are read from the message itself', () => {
    expect(calls(ask(productDesk, [user('please reserve two of BT-4400-42')]))).toEqual([
      { name: 'inventory__reserve_item', args: { sku: 'BT-4400-42', quantity: 2 } },
    ]);
  });
});

describe('offline model: a required argument it cannot fill is asked for, never guessed', () => {
  it('no SKU anywhere: asks for it', () => {
    const out = ask(reserveOnly, [user('reserve 2 tents for me')]);
    expect(text(out)).toBe('I can reserve the item for you. Could you tell me the SKU?');
  });

  it('a check that found several products leaves the choice to the visitor', () => {
    const tents = {
      found: true,
      query: 'tents',
      products: [
        { name: 'Alpine 2 Tent', sku: 'TN-2002', price: 329, currency: 'USD', available: 6 },
        { name: 'Alpine 4 Tent', sku: 'TN-2004', price: 419, currency: 'USD', available: 1 },
      ],
    };
    const history = [user('which tents do you have in stock?'), call('c1', 'inventory__check_stock', { item: 'tents' }), output('c1', tents)];
    const listed = text(ask(productDesk, history));
    // Several products: one labelled line each, no SKUs.
    expect(listed).toContain('- **Alpine 2 Tent**: Price $329.00 · Available 6');
    expect(listed).toContain('- **Alpine 4 Tent**: Price $419.00 · Available 1');
    expect(listed).not.toContain('TN-200');
    expect(text(ask(reserveOnly, [...history, assistant(listed), user('reserve 2 of them')]))).toBe(
      'I can reserve the item for you. Could you tell me the SKU?',
    );
  });

  it('a count outside the schema range is asked again with the range', () => {
    expect(text(ask(reserveOnly, [user('reserve 20 of TN-2002')]))).toBe(
      'I can reserve the item for you. Could you tell me the quantity (1 to 10)?',
    );
  });
});

describe('offline model: arguments filled from each JSON-schema type', () => {
  const reserve = MCP_INVENTORY_SCHEMAS.reserve_item.inputSchema;

  it('strings: a free-text name for a query-like field, a code for a SKU field', () => {
    expect(fillArguments(MCP_INVENTORY_SCHEMAS.check_stock.inputSchema, ['Is there a Glacier sleeping bag?'])).toEqual({
      args: { item: 'Glacier sleeping bag' },
      missing: [],
    });
    expect(fillArguments(reserve, ['hold 3 of TN-2004'])).toEqual({ args: { sku: 'TN-2004', quantity: 3 }, missing: [] });
  });

  it('integers: digits of their own or a number word; never the digits of a code, never out of range or fractional', () => {
    expect(fillArguments(reserve, ['reserve BT-4400-42, three please']).args).toEqual({ sku: 'BT-4400-42', quantity: 3 });
    expect(fillArguments(reserve, ['reserve TN-2002'])).toEqual({ args: { sku: 'TN-2002' }, missing: ['quantity'] });
    expect(fillArguments(reserve, ['reserve 0 of TN-2002']).missing).toEqual(['quantity']);
    expect(fillArguments(reserve, ['reserve 2.5 of TN-2002']).missing).toEqual(['quantity']);
  });

  it('optional fields are left to the tool: no guessed hold time, size or idempotency key', () => {
    const { args } = fillArguments(reserve, ['reserve 2 of TN-2002 for 48 hours']);
    expect(Object.keys(args).sort()).toEqual(['quantity', 'sku']);
  });

  const schema = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', properties, required });

  it('enums: the value named, else the default, else the only value; several without a match are missing', () => {
    const warehouse = { type: 'string', enum: ['portland', 'denver', 'atlanta'] };
    expect(fillArguments(schema({ warehouse }, ['warehouse']), ['ship from Denver']).args).toEqual({ warehouse: 'denver' });
    expect(fillArguments(schema({ warehouse }, ['warehouse']), ['ship it soon'])).toEqual({ args: {}, missing: ['warehouse'] });
    expect(fillArguments(schema({ warehouse: { ...warehouse, default: 'portland' } }, ['warehouse']), ['ship it']).args).toEqual({ warehouse: 'portland' });
    expect(fillArguments(schema({ unit: { type: 'string', enum: ['celsius'] } }, ['unit']), ['weather']).args).toEqual({ unit: 'celsius' });
    // "l" as a size is a word of its own, not the letter inside "please".
    const size = { type: 'string', enum: ['S', 'M', 'L'] };
    expect(fillArguments(schema({ size }, ['size']), ['please']).missing).toEqual(['size']);
    expect(fillArguments(schema({ size }, ['size']), ['in L please']).args).toEqual({ size: 'L' });
  });

  it('booleans take the schema default, numbers read decimals', () => {
    const gift = { type: 'boolean', default: true };
    const weight = { type: 'number' };
    expect(fillArguments(schema({ gift, weight }, ['gift', 'weight']), ['it weighs 2.5 kg']).args).toEqual({ gift: true, weight: 2.5 });
  });
});

describe('offline model: MCP results in plain words', () => {
  it('a stock check: the product, price, stock per warehouse and shipping; no SKU, no raw fields', () => {
    const reply = text(ask(productDesk, checked));
    expect(reply).toBe(
      "Here's what I found for “Alpine 2 tent”:\n\n" +
        '**Alpine 2 Tent**\n' +
        '- **Price:** $329.00\n' +
        '- **Available:** 6\n' +
        '- **Warehouses:** Portland, OR: 4 · Denver, CO: 2 · Atlanta, GA: 0\n' +
        '- **Shipping:** Ships in 1–2 business days from Portland, OR.\n\n' +
        'Is there anything else I can help with?',
    );
  });

  it('structured content with a prose summary beside it ({ data, text }) is put in words from the data', () => {
    const withText = { data: alpine2Stock, text: 'Alpine 2 Tent, SKU TN-2002, $329.00: 6 available.' };
    const reply = text(ask(productDesk, [inStock, call('c1', 'inventory__check_stock', { item: 'Alpine 2 tent' }), output('c1', withText)]));
    expect(reply).toBe(text(ask(productDesk, checked)));
    const later = [inStock, call('c1', 'inventory__check_stock', { item: 'Alpine 2 tent' }), output('c1', withText), assistant(reply), user('reserve 2 of them')];
    expect(calls(ask(productDesk, later))).toEqual([{ name: 'inventory__reserve_item', args: { sku: 'TN-2002', quantity: 2 } }]);
  });

  it('a reservation: what was reserved, and the reservation number the visitor needs', () => {
    const history = [...checked, assistant('…'), user('reserve 2 of them'), call('c2', 'inventory__reserve_item', { sku: 'TN-2002', quantity: 2 }), output('c2', alpine2Reservation)];
    const reply = text(ask(productDesk, history));
    expect(reply).toMatch(/^Done: I reserved 2 × \*\*Alpine 2 Tent\*\*\. Here are the details:/);
    expect(reply).toContain('- **Reservation ID:** RSV-1001');
    expect(reply).toContain('- **Held until:** 2026-12-01 16:00');
    expect(reply).toContain('- **From warehouses:** Portland, OR: 2');
    expect(reply).not.toMatch(/TN-2002|Found|\{/);
  });

  it('found: false, a refusal from the server and a denied approval are each said in words', () => {
    const none = text(ask(productDesk, [user('do you have the Alpine 9 tent?'), call('c', 'inventory__check_stock', { item: 'Alpine 9 tent' }), output('c', { found: false, query: 'Alpine 9 tent', message: 'No product in the catalog matches “Alpine 9 tent”.' })]));
    expect(none).toContain('I couldn\'t find anything for “Alpine 9 tent”: No product in the catalog matches “Alpine 9 tent”.');
    const reserve = [user('reserve 3 of TN-2004'), call('r', 'inventory__reserve_item', { sku: 'TN-2004', quantity: 3 })];
    // An MCP isError result as the run loop reports it to the model.
    const refused = text(ask(productDesk, [...reserve, output('r', { status: 'failed', error: 'The reserve_item tool reported an error: Only 1 × Alpine 4 Tent available, so 3 cannot be reserved.' })]));
    expect(refused).toContain("Sorry, I couldn't reserve item **TN-2004** just now (Only 1 × Alpine 4 Tent available, so 3 cannot be reserved.)");
    const denied = text(ask(productDesk, [...reserve, output('r', { status: 'denied', error: 'Denied by the user.', note: 'The tool was not run.' })]));
    expect(denied).toContain('Okay, I did not reserve item **TN-2004**, because the request was not approved.');
  });
});
