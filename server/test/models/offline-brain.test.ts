import { describe, expect, it } from 'vitest';
import { decide, type BrainInput } from '../../src/models/offline/offline-brain.ts';
import { ask, calls, text } from './brain-decisions.ts';
import { findId, findPlace, stripFiller } from '../../src/models/offline/fill-arguments.ts';
import { forbiddenTerms } from '../../src/models/offline/judge.ts';
import { contentStems, stem } from '../../src/models/offline/text-match.ts';
import { assistant, billing, call, handoff, order1234, output, product, technical, triage, user, weather } from './support-desk.ts';

const charged = user('I was charged twice for order 1234');

describe('offline brain: the support desk', () => {
  it('triage hands "charged twice" to billing', () => {
    expect(calls(ask(triage, [charged]))).toEqual([{ name: 'transfer_to_billing', args: {} }]);
  });

  it('billing looks the order up, and does not refund on its own', () => {
    expect(calls(ask(billing, [charged, ...handoff('billing')]))).toEqual([{ name: 'lookup_order', args: { order_id: '1234' } }]);
  });

  it('billing answers with the order facts once the lookup is back', () => {
    const reply = text(ask(billing, [charged, ...handoff('billing'), call('c1', 'lookup_order', { order_id: '1234' }), output('c1', order1234)]));
    expect(reply).toContain('order **1234**');
    expect(reply).toContain('I looked up order **1234**. Charged twice: two charges of $59.00 on 2026-11-02 for one order. Here are the details:');
    expect(reply).toContain('- **Status:** delivered');
    expect(reply).toContain('- **Total:** $59.00');
    expect(reply).toContain('If you\'d like, I can also refund order **1234** for you.');
  });

  it('"refund order 1234" goes to billing, which calls refund_order', () => {
    const refund = user('refund order 1234');
    expect(calls(ask(triage, [refund]))).toEqual([{ name: 'transfer_to_billing', args: {} }]);
    expect(calls(ask(billing, [refund, ...handoff('billing')]))).toEqual([
      { name: 'refund_order', args: { order_id: '1234', reason: 'refund order 1234' } },
    ]);
  });

  it('reports a completed refund, a denied one and a failed lookup in words', () => {
    const refund = user('Please refund order A-77');
    const done = text(ask(billing, [refund, call('r', 'refund_order', { order_id: 'A-77', reason: 'x' }), output('r', { refund_id: 'R-9', amount: 59, status: 'refunded' })]));
    expect(done).toMatch(/^Done: I refunded order \*\*A-77\*\*\./);
    expect(done).toContain('- **Amount:** $59.00');
    const denied = text(ask(billing, [refund, call('r', 'refund_order', { order_id: 'A-77', reason: 'x' }), output('r', { status: 'denied', error: 'Denied by the user.' })]));
    expect(denied).toContain('I did not refund order **A-77**, because the request was not approved.');
    expect(denied).toContain('I can look up order **A-77**');
    const failed = text(ask(billing, [charged, call('l', 'lookup_order', { order_id: '1234' }), output('l', { error: 'Tool timed out after 5000 ms' })]));
    expect(failed).toContain("Sorry, I couldn't look up order **1234** just now (Tool timed out after 5000 ms).");
  });

  it('reads a call\'s outcome from its fields (as the run loop records it), not from the words of a result', () => {
    const ask1 = user('Why was my card declined?');
    const prose = text(ask(technical, [ask1, call('d', 'search_docs', { query: 'card declined' }), output('d', 'Error messages at checkout: a declined card means the bank refused the charge.')]));
    expect(prose).toContain('> Error messages at checkout: a declined card means the bank refused the charge.');
    expect(prose).not.toMatch(/not approved|couldn't/);
    const failed = text(ask(technical, [ask1, call('d', 'search_docs', { query: 'card declined' }), output('d', { status: 'failed', error: 'Search index offline' })]));
    expect(failed).toContain("Sorry, I couldn't search the docs for “card declined” just now (Search index offline).");
  });

  it('asks for a missing order number, then uses the answer', () => {
    const first = user('I was charged twice last week');
    const question = text(ask(billing, [first]));
    expect(question).toBe('I can look up your order for you. Could you tell me your order number?');
    expect(calls(ask(billing, [first, assistant(question), user("It's A-1234")]))).toEqual([{ name: 'lookup_order', args: { order_id: 'A-1234' } }]);
  });

  it('does not repeat a tool after the visitor says thanks', () => {
    const history = [charged, call('c1', 'lookup_order', { order_id: '1234' }), output('c1', order1234), assistant('Here it is. Is there anything else I can help with?')];
    expect(text(ask(billing, [...history, user('thanks!')]))).toBe("You're welcome! Is there anything else I can help with?");
  });

  it('technical errors: triage → technical, which checks the service status and reports it', () => {
    const broken = user('The app shows an error when I log in');
    expect(calls(ask(triage, [broken]))).toEqual([{ name: 'transfer_to_technical', args: {} }]);
    expect(calls(ask(technical, [broken, ...handoff('technical')]))).toEqual([{ name: 'service_status', args: {} }]);
    const reply = text(ask(technical, [broken, ...handoff('technical'), call('s', 'service_status'), output('s', { status: 'degraded', incidents: ['Login delays in EU'] })]));
    expect(reply).toContain("Here's the service status:");
    expect(reply).toContain('- **Status:** degraded');
    expect(reply).toContain('- **Incidents:** Login delays in EU');
  });

  it('product questions: triage → product, which searches the docs', () => {
    const pricing = user('How much does the Pro plan cost?');
    expect(calls(ask(triage, [pricing]))).toEqual([{ name: 'transfer_to_product', args: {} }]);
    expect(calls(ask(product, [pricing, ...handoff('product')]))).toEqual([{ name: 'search_docs', args: { query: 'How much does the Pro plan cost' } }]);
    const reply = text(ask(product, [pricing, ...handoff('product'), call('d', 'search_docs', { query: 'Pro plan' }), output('d', [{ title: 'Plans and pricing', snippet: 'Pro is $12 per seat per month.' }])]));
    expect(reply).toContain('**Plans and pricing**: Pro is $12 per seat per month.');
  });

  it('hands off at most once per visitor message', () => {
    const vague = user('I have a question about my bill');
    expect(calls(ask(triage, [vague]))).toEqual([{ name: 'transfer_to_billing', args: {} }]);
    const reply = text(ask(billing, [vague, ...handoff('billing')]));
    expect(reply).toContain("I'm the billing specialist, and I'll take it from here.");
    expect(reply).toContain('Could you share your order number so I can take a look?');
  });

  it('greets in the voice of the agent, listing its teams in whole words', () => {
    const reply = text(ask(triage, [user('Hello!')]));
    expect(reply).toMatch(/^Hi! I'm the Acme front desk\./);
    expect(reply).toContain('I can help with billing (charges, refunds, invoices, payments); technical (errors, outages, bugs, login problems)');
    expect(reply).not.toContain('…');
  });
});

describe('offline brain: weather and parallel calls', () => {
  it('fills the city from "in Paris" and from a known city in lower case', () => {
    expect(calls(ask(weather, [user("What's the weather in Paris?")]))).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
    expect(calls(ask(weather, [user('will it rain in tokyo tomorrow')]))).toEqual([{ name: 'get_weather', args: { city: 'Tokyo' } }]);
    expect(calls(ask(weather, [user('Forecast for New York City on Monday')]))).toEqual([{ name: 'get_weather', args: { city: 'New York City' } }]);
  });

  it('asks which city, then calls with the answer', () => {
    const first = user('How is the weather?');
    const question = text(ask(weather, [first]));
    expect(question).toBe('I can get the weather for you. Could you tell me which city you mean?');
    expect(calls(ask(weather, [first, assistant(question), user('Berlin')]))).toEqual([{ name: 'get_weather', args: { city: 'Berlin' } }]);
  });

  it('uses the weather result in its reply', () => {
    const reply = text(ask(weather, [user('Weather in Paris?'), call('w', 'get_weather', { city: 'Paris' }), output('w', { temperature_c: 18, conditions: 'light rain' })]));
    expect(reply).toContain("Here's the weather for **Paris**:");
    expect(reply).toContain('- **Temperature (°C):** 18');
    expect(reply).toContain('- **Conditions:** light rain');
  });

  it('calls two tools at once when each is named by its own word', () => {
    const agent = { instructions: 'You are a travel helper.', tools: [...weather.tools, ...technical.tools] };
    const out = calls(ask(agent, [user('Search the docs for packing lists and tell me the weather in Rome')]));
    expect(out.map((c) => c.name).sort()).toEqual(['get_weather', 'search_docs']);
    expect(out.find((c) => c.name === 'get_weather')?.args).toEqual({ city: 'Rome' });
  });

  it('is deterministic', () => {
    const conversation = [charged, ...handoff('billing'), call('c1', 'lookup_order', { order_id: '1234' }), output('c1', order1234)];
    expect(ask(billing, conversation)).toEqual(ask(billing, structuredClone(conversation)));
  });

  it('stops calling tools after many calls for one message', () => {
    const many = Array.from({ length: 8 }, (_, i) => [call(`x${i}`, 'get_weather', { city: 'Paris' }), output(`x${i}`, { ok: true })]).flat();
    expect(ask(weather, [user('weather in Paris'), ...many]).kind).toBe('text');
  });
});

describe('offline brain: llm_judge structured output', () => {
  const judgeInput = (content: string, schema: Record<string, unknown>): BrainInput => ({
    instructions: 'You judge replies. Fail any text that mentions "lawsuit" or “competitor”.',
    conversation: [user(content)],
    tools: [],
    responseFormat: { name: 'verdict', schema },
  });
  const passReason = { type: 'object', properties: { pass: { type: 'boolean' }, reason: { type: 'string' } }, required: ['pass', 'reason'] };

  it('fails text with a quoted forbidden term, passes other text', () => {
    expect(JSON.parse(text(decide(judgeInput('We may file a Lawsuit tomorrow.', passReason))))).toEqual({ pass: false, reason: 'The text mentions "lawsuit".' });
    expect(JSON.parse(text(decide(judgeInput('Your refund is on its way.', passReason))))).toEqual({ pass: true, reason: 'No forbidden content found.' });
    expect(JSON.parse(text(decide(judgeInput('Our competitors are worse', passReason)))).pass).toBe(true); // whole words only
  });

  it('shapes the verdict to the schema it was given', () => {
    const schema = { type: 'object', properties: { tripwire: { type: 'boolean' }, verdict: { type: 'string' }, score: { type: 'number' } } };
    expect(JSON.parse(text(decide(judgeInput('a competitor is cheaper', schema))))).toEqual({ tripwire: true, verdict: 'fail', score: 0 });
  });

  it('reads the quoted terms', () => {
    expect(forbiddenTerms('Never say "refund guaranteed", `free money` or “lawsuit”.')).toEqual(['refund guaranteed', 'free money', 'lawsuit']);
  });
});

describe('offline brain: word helpers', () => {
  it('stems word forms together', () => {
    expect(new Set(['charged', 'charge', 'charges'].map(stem)).size).toBe(1);
    expect(new Set(['invoices', 'invoice'].map(stem)).size).toBe(1);
    expect(stem('billing')).toBe(stem('bill'));
    expect(contentStems('What is the status of my refunds?')).toEqual(['status', 'refund']);
  });

  it('finds ids, places and the gist of a question', () => {
    expect(findId('order #1234 please')).toBe('1234');
    expect(findId('my order A-1234 was late')).toBe('A-1234');
    expect(findId('I have 2 questions')).toBeUndefined();
    expect(findId('ticket ORD-12-B7, please')).toBe('ORD-12-B7');
    // Untrusted text: no catastrophic backtracking on a long almost-id.
    const started = Date.now();
    expect(findId(`12${'a'.repeat(60)}-`)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(50);
    expect(findPlace('weather in San Francisco today')).toBe('San Francisco');
    expect(findPlace('anything for Monday?')).toBeUndefined();
    expect(stripFiller('Hi! Can you search the docs for password reset, please?')).toBe('password reset');
  });
});
