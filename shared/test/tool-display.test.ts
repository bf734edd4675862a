import { describe, expect, it } from 'vitest';
import { ArgDisplay, HttpToolSpec, ServerMessage, ToolDisplay, ToolRef, titlePlaceholders, toolDisplayProblems } from '@agent-chat/shared';

const refund = {
  title: 'Refund order {order_id} — {amount}',
  args: { order_id: { label: 'Order' }, amount: { label: 'Amount', format: 'currency', currency: 'USD' } },
};

describe('tool display: titles and argument labels', () => {
  it('reads the placeholders of a title template, in order; braces around anything else are text', () => {
    expect(titlePlaceholders('Refund order {order_id} — {amount}')).toEqual(['order_id', 'amount']);
    expect(titlePlaceholders('Weather in {city} ({city})')).toEqual(['city', 'city']);
    expect(titlePlaceholders('Set {a-b} to { x } or {1st}')).toEqual([]);
    expect(titlePlaceholders('No placeholders')).toEqual([]);
  });

  it('accepts a title and labels on a tool reference and on an HTTP tool, with text as the default format', () => {
    const ref = ToolRef.parse({ name: 'refund_order', ...refund });
    expect(ref).toMatchObject({ title: refund.title, args: { order_id: { label: 'Order', format: 'text' }, amount: { format: 'currency', currency: 'USD' } } });
    const http = HttpToolSpec.parse({
      name: 'get_forecast', description: 'Forecast', kind: 'http', url: 'https://api.example.com/{city}', allowedHosts: ['api.example.com'],
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
      title: 'Forecast for {city}', args: { city: { label: 'City' } },
    });
    expect(http).toMatchObject({ title: 'Forecast for {city}', args: { city: { label: 'City', format: 'text' } } });
  });

  it('refuses a currency without its code, an unknown format, a lower-case code and an empty title', () => {
    const noCode = ArgDisplay.safeParse({ format: 'currency' });
    expect(noCode.success).toBe(false);
    expect(noCode.error?.issues[0]).toMatchObject({ path: ['currency'], message: expect.stringContaining('needs a currency code') });
    expect(ArgDisplay.safeParse({ format: 'money' }).success).toBe(false);
    expect(ArgDisplay.safeParse({ format: 'currency', currency: 'usd' }).success).toBe(false);
    expect(ArgDisplay.safeParse({ format: 'date' }).success).toBe(true);
    expect(ToolDisplay.safeParse({ title: '' }).success).toBe(false);
    expect(ToolDisplay.safeParse({ title: 'x'.repeat(201) }).success).toBe(false);
  });

  it('names every placeholder and labelled argument that is not a declared parameter', () => {
    expect(toolDisplayProblems(ToolDisplay.parse(refund), ['order_id', 'amount', 'reason'])).toEqual([]);
    expect(toolDisplayProblems(ToolDisplay.parse({ title: 'Refund {order} — {amount} {order}', args: { reson: { label: 'Reason' } } }), ['order_id', 'amount', 'reason'])).toEqual([
      { path: 'title', message: '{order} is not a declared parameter' },
      { path: 'args.reson', message: '"reson" is not a declared parameter' },
    ]);
  });

  it('carries the display and the no-match mark on a tool_call item of the wire', () => {
    const item = {
      id: 'i1', createdAt: '2026-11-30T10:00:00Z', type: 'tool_call', agent: 'billing', callId: 'c1', name: 'refund_order',
      arguments: { order_id: '1234', amount: 59 }, status: 'awaiting_approval', display: refund,
    };
    const parsed = ServerMessage.parse({ type: 'item.added', threadId: 't', seq: 1, item });
    expect(parsed).toMatchObject({ item: { display: { title: refund.title, args: { amount: { format: 'currency', currency: 'USD' } } } } });
    const empty = ServerMessage.parse({ type: 'item.done', threadId: 't', seq: 2, item: { ...item, status: 'completed', output: [], noMatch: true } });
    expect(empty).toMatchObject({ item: { status: 'completed', noMatch: true } });
    expect(ServerMessage.safeParse({ type: 'item.done', threadId: 't', seq: 2, item: { ...item, display: { title: 5 } } }).success).toBe(false);
  });
});
