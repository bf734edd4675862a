import { describe, expect, it } from 'vitest';
import { createSearchDocsTool, DEMO_DOCS_DIR, demoTools, demoWeather, getWeatherTool, lookupOrderTool, refundOrderTool, searchDocsTool, serviceStatusTool } from '../../../demo/tools/index.ts';
import { ToolArgumentsError } from '../../src/agents/errors.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const ctx = { signal: new AbortController().signal, threadId: 't', runId: 'r', agent: 'billing', callId: 'c1' };

describe('demo tools', () => {
  it('exports the five demo tools; only refund_order needs approval', () => {
    expect(demoTools.map((t) => [t.name, t.needsApproval])).toEqual([
      ['lookup_order', false],
      ['refund_order', true],
      ['service_status', false],
      ['search_docs', false],
      ['get_weather', false],
    ]);
  });

  it('lookup_order: order 1234 was charged $59.00 twice; an unknown order is a no-match answer, not an error', async () => {
    const order = (await lookupOrderTool.invoke({ order_id: '#1234' }, ctx)) as { total: number; charges: { amount: number }[] };
    expect(order.total).toBe(59);
    expect(order.charges.map((c) => c.amount)).toEqual([59, 59]);
    expect(await lookupOrderTool.invoke({ order_id: '9999' }, ctx)).toEqual({
      found: false,
      order_id: '9999',
      message: 'No order with number "9999".',
      next_step: 'Ask the visitor to check the number in their confirmation email.',
    });
    await expect(lookupOrderTool.invoke({}, ctx)).rejects.toBeInstanceOf(ToolArgumentsError);
  });

  it('refund_order refunds the duplicate charge of 1234 and the total of other orders', async () => {
    expect(await refundOrderTool.invoke({ order_id: '1234', reason: 'double charge' }, ctx)).toMatchObject({ amount: 59, refunded_charge: 'ch_1234_b', status: 'refunded' });
    expect(await refundOrderTool.invoke({ order_id: '5678', reason: 'too big' }, ctx)).toMatchObject({ amount: 349, refunded_charge: 'all charges' });
    // The amount the visitor approved on the card is the amount refunded, never more than the order.
    expect(await refundOrderTool.invoke({ order_id: '5678', reason: 'strap broke', amount: 40 }, ctx)).toMatchObject({ amount: 40 });
    await expect(refundOrderTool.invoke({ order_id: '1234', reason: 'x', amount: 500 }, ctx)).rejects.toThrow('Order 1234 totals 59 USD');
    await expect(refundOrderTool.invoke({ order_id: '9999', reason: 'x' }, ctx)).rejects.toThrow('No order with number "9999"');
  });

  it('service_status reports a degraded service', async () => {
    expect(await serviceStatusTool.invoke({}, ctx)).toMatchObject({ overall: 'degraded' });
  });

  it('search_docs ranks the matching help page first and returns titles with snippets', async () => {
    const found = (await searchDocsTool.invoke({ query: 'How do I reset my password?' }, ctx)) as { results: { title: string; snippet: string; source: string }[] };
    expect(found.results[0]).toMatchObject({ title: 'Accounts and login: Resetting your password', source: 'accounts-and-login.md' });
    expect(found.results[0]?.snippet).toContain('Forgot password');
    const refunds = (await searchDocsTool.invoke({ query: 'when do refunds arrive' }, ctx)) as { results: { title: string }[] };
    expect(refunds.results[0]?.title).toBe('Returns and refunds: When the refund arrives');
    expect(await searchDocsTool.invoke({ query: 'xylophone' }, ctx)).toMatchObject({ found: false, results: [], message: expect.any(String) });
    expect(DEMO_DOCS_DIR).toMatch(/demo[/\\]docs[/\\]?$/);
  });

  it('search_docs: the shop\'s name, on most pages, does not outweigh the word that tells pages apart', async () => {
    const plus = (await searchDocsTool.invoke({ query: 'what does Northwind Plus include' }, ctx)) as { results: { title: string }[] };
    // The page that names Northwind Plus first, then its two plans: nothing about the Northwind app.
    expect(plus.results.map((r) => r.title)).toEqual(['Membership plans', 'Membership plans: Trail Club ($4.99 per month)', 'Membership plans: Summit ($49 per year)']);
    // Alone, a common word still finds something, and with another word it still helps.
    const login = (await searchDocsTool.invoke({ query: 'I cannot log in to my account' }, ctx)) as { results: { title: string }[] };
    expect(login.results[0]?.title).toMatch(/^Accounts and login/);
    const app = (await searchDocsTool.invoke({ query: 'northwind app crashes' }, ctx)) as { results: { title: string }[] };
    expect(app.results[0]?.title).toBe('Troubleshooting the Northwind app: The app crashes or will not open');
  });

  it('search_docs works over any folder of markdown pages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'docs-'));
    writeFileSync(join(dir, 'a.md'), '# Kayaks\n\n## Paddles\n\nCarbon paddles weigh 700 g.\n');
    const tool = createSearchDocsTool(dir);
    expect(await tool.invoke({ query: 'paddle weight' }, ctx)).toMatchObject({ results: [{ title: 'Kayaks: Paddles', snippet: 'Carbon paddles weigh 700 g.' }] });
  });

  it('get_weather is deterministic per city and consistent with its conditions', async () => {
    expect(await getWeatherTool.invoke({ city: 'Paris' }, ctx)).toEqual(demoWeather('Paris'));
    expect({ ...demoWeather('Paris'), city: 'x' }).toEqual({ ...demoWeather('paris'), city: 'x' });
    for (const city of ['Paris', 'London', 'Tokyo', 'Berlin', 'Oslo', 'Lima']) {
      const w = demoWeather(city);
      expect(w.umbrella).toBe(w.conditions === 'light rain' || w.conditions === 'showers');
      if (w.conditions === 'windy') expect(w.wind_kmh).toBeGreaterThanOrEqual(35);
    }
  });
});
