import { fileURLToPath } from 'node:url';
import type { Item, ThreadEvent } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { createModelProvider } from '../src/models/openai-provider.ts';
import { createBookTable } from './fixtures/restaurant/book-table.ts';
import { useTestScope } from './helpers/test-scope.ts';
import type { TestClient } from './helpers/ws-client.ts';

/**
 * A restaurant's booking desk written from docs/workflows.md (server/test/fixtures/restaurant):
 * `book_table` needs a date, a time and a party size, and approval. Over a real WebSocket, with
 * the offline model reached through the real `openai` client and its clock fixed on Monday
 * 30 November 2026, noon.
 */
type ItemOf<T extends Item['type']> = Extract<Item, { type: T }>;

const WORKFLOWS_DIR = fileURLToPath(new URL('./fixtures/restaurant/workflows', import.meta.url));
const NOW = new Date(2026, 10, 30, 12, 0);

function finalItems(events: ThreadEvent[]): Item[] {
  const items = new Map<string, Item>();
  for (const e of events) {
    if (e.type === 'item.added' || e.type === 'item.done') items.set(e.item.id, e.item);
    if (e.type === 'item.removed') items.delete(e.itemId);
  }
  return [...items.values()];
}

describe('restaurant workflow over WebSocket (offline model fills dates, times and party sizes)', () => {
  const scope = useTestScope();

  async function desk() {
    const booking = createBookTable();
    const s = await scope.boot({ env: { WORKFLOWS_DIR }, tools: [booking.tool], models: createModelProvider({ offlineNow: () => NOW }) });
    const { client } = await scope.connect(s);
    const opened = await client.request({ type: 'thread.create', workflow: 'restaurant' });
    const threadId = opened.type === 'thread.opened' ? opened.thread.id : '';
    return { client, threadId, bookings: booking.bookings };
  }

  async function say(client: TestClient, threadId: string, text: string) {
    const accepted = await client.request({ type: 'message.send', threadId, clientMessageId: text, text });
    expect(accepted.type).toBe('message.accepted');
    const runId = accepted.type === 'message.accepted' ? accepted.runId : '';
    const finished = await client.runFinished(runId);
    const events = client.events(threadId);
    const itemId = accepted.type === 'message.accepted' ? accepted.itemId : '';
    const items = finalItems(events.slice(events.findIndex((e) => e.type === 'item.added' && e.item.id === itemId)));
    const reply = items.filter((i): i is ItemOf<'assistant_message'> => i.type === 'assistant_message').at(-1)?.text ?? '';
    const calls = items.filter((i): i is ItemOf<'tool_call'> => i.type === 'tool_call');
    return { finished, reply, calls };
  }

  async function approve(client: TestClient, threadId: string, callId: string) {
    const before = new Set(client.events(threadId).flatMap((e) => (e.type === 'run.started' ? [e.runId] : [])));
    client.send({ type: 'tool.approval', threadId, callId, approved: true });
    const started = await client.waitFor((m) => m.type === 'run.started' && m.threadId === threadId && !before.has(m.runId));
    const finished = await client.runFinished(started.type === 'run.started' ? started.runId : '');
    const items = finalItems(client.events(threadId));
    const reply = items.filter((i): i is ItemOf<'assistant_message'> => i.type === 'assistant_message').at(-1)?.text ?? '';
    return { finished, reply, call: items.find((i): i is ItemOf<'tool_call'> => i.type === 'tool_call' && i.callId === callId) };
  }

  it('Should book in one go when the first message gives the date, the time and the party size', async () => {
    const { client, threadId, bookings } = await desk();
    const asked = await say(client, threadId, 'book a table for 2 on 2026-12-24 at 19:30');
    expect(asked.finished.status).toBe('interrupted');
    expect(asked.calls).toHaveLength(1);
    const pending = asked.calls[0]!;
    expect(pending).toMatchObject({ name: 'book_table', status: 'awaiting_approval', arguments: { date: '2026-12-24', time: '19:30', party_size: 2 } });
    expect(bookings).toEqual([]); // nothing is booked before the visitor approves

    const done = await approve(client, threadId, pending.callId);
    expect(done.finished.status).toBe('completed');
    expect(done.call).toMatchObject({ status: 'completed', output: { booking_id: 'B-0001', status: 'confirmed' } });
    expect(bookings).toEqual([{ booking_id: 'B-0001', date: '2026-12-24', time: '19:30', party_size: 2 }]);
    // The confirmation repeats what was booked, read back from the call.
    expect(done.reply).toMatch(/^Done: I booked a table for 2 on 24 December 2026 at 19:30\. /);
    expect(done.reply).toContain('**Booking ID:** B-0001');
    expect(done.reply).toContain('B-0001');
  });

  it('Should ask for exactly the date and time, then book "tomorrow at 7pm" for the 2 people said before', async () => {
    const { client, threadId, bookings } = await desk();
    const first = await say(client, threadId, 'book a table for 2');
    expect(first.finished.status).toBe('completed');
    expect(first.calls).toEqual([]); // never a call with a required argument missing
    expect(first.reply).toContain('What date and time would you like?');
    expect(first.reply).not.toMatch(/how many/i);

    const second = await say(client, threadId, 'tomorrow at 7pm');
    expect(second.finished.status).toBe('interrupted');
    const pending = second.calls.find((c) => c.name === 'book_table');
    expect(pending).toMatchObject({ status: 'awaiting_approval', arguments: { date: '2026-12-01', time: '19:00', party_size: 2 } });

    const done = await approve(client, threadId, pending!.callId);
    expect(done.finished.status).toBe('completed');
    expect(bookings).toEqual([{ booking_id: 'B-0001', date: '2026-12-01', time: '19:00', party_size: 2 }]);
    expect(done.reply).toMatch(/^Done: I booked a table for 2 on 1 December 2026 at 19:00\. /);
  });

  it('Should ask only for the time when the date is known, and carry both earlier answers over', async () => {
    const { client, threadId, bookings } = await desk();
    const first = await say(client, threadId, 'I would like to book a table for 4 people');
    expect(first.calls).toEqual([]);
    expect(first.reply).toContain('What date and time would you like?');
    const second = await say(client, threadId, 'next friday');
    expect(second.calls).toEqual([]);
    expect(second.reply).toContain('What time would you like?');
    expect(second.reply).not.toMatch(/date/i);
    const third = await say(client, threadId, '8:30 pm');
    expect(third.calls.map((c) => [c.name, c.arguments])).toEqual([['book_table', { date: '2026-12-04', time: '20:30', party_size: 4 }]]);
    expect(bookings).toEqual([]);
  });
});
