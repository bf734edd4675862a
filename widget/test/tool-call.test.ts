import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Item, ToolCallItem } from '@agent-chat/shared';
import '../src/index.ts';
import type { AgentChat } from '../src/index.ts';
import { formatArg, humanizeName, toolTitle } from '../src/views/tool-display.ts';

/*
 * Tool call cards: titles and labelled arguments from the workflow, the approval question, the
 * neutral "nothing found" state, hostile titles/arguments/outputs, and items of unknown types.
 * The element runs for real; only the socket is a scripted stand-in (window.WebSocket), so a
 * test can hand it exactly the items it needs.
 */

const wait = { timeout: 5000, interval: 20 };
const createdAt = '2026-11-30T10:00:00.000Z';

/** A tool call item with defaults. */
function call(fields: Partial<ToolCallItem> & { id: string }): ToolCallItem {
  return { type: 'tool_call', createdAt, agent: 'billing', callId: `call_${fields.id}`, name: 'lookup_order', arguments: {}, status: 'completed', ...fields };
}

const REFUND_DISPLAY = {
  title: 'Refund order {order_id} — {amount}',
  args: {
    order_id: { label: 'Order', format: 'text' as const },
    amount: { label: 'Amount', format: 'currency' as const, currency: 'USD' },
    reason: { label: 'Reason', format: 'text' as const },
  },
};

/** The scripted server side of every socket the page opens while installed. */
interface FakeServer {
  /** Items the next `thread.opened` carries. */
  items: unknown[];
  /** Frames the widget sent. */
  sent: Array<Record<string, unknown>>;
  /** Sends a frame to every open socket. */
  push(frame: Record<string, unknown>): void;
  sockets: FakeSocket[];
}

class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  constructor(readonly server: FakeServer) {
    server.sockets.push(this);
    setTimeout(() => {
      this.readyState = 1;
      this.onopen?.(new Event('open'));
    });
  }
  deliver(frame: Record<string, unknown>): void {
    if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(frame) });
  }
  send(data: string): void {
    const frame = JSON.parse(data) as Record<string, unknown>;
    this.server.sent.push(frame);
    const replyTo = typeof frame.id === 'string' ? { replyTo: frame.id } : {};
    if (frame.type === 'hello') {
      this.deliver({ type: 'ready', protocol: 1, connectionId: 'c1', user: { id: 'u', kind: 'visitor' }, visitorToken: 'vt_1', uploadToken: 'up', limits: { maxMessageChars: 4000 } });
    } else if (frame.type === 'thread.create' || frame.type === 'thread.open') {
      this.deliver({
        type: 'thread.opened',
        ...replyTo,
        thread: { id: 'th_1', title: '', workflow: 'support', currentAgent: 'billing' },
        workflow: { id: 'support', name: 'Support desk', agents: [{ id: 'triage', name: 'Triage' }, { id: 'billing', name: 'Billing' }] },
        lastSeq: 1,
        items: this.server.items,
      });
    } else if (frame.type === 'ping') this.deliver({ type: 'pong' });
  }
  close(): void {
    this.readyState = 3;
  }
}

const NativeWebSocket = window.WebSocket;
let current: FakeServer | undefined;

function installFakeServer(items: unknown[]): FakeServer {
  const server: FakeServer = {
    items,
    sent: [],
    sockets: [],
    push(frame) {
      for (const socket of this.sockets) socket.deliver(frame);
    },
  };
  current = server;
  window.WebSocket = class extends FakeSocket {
    constructor() {
      super(server);
    }
  } as unknown as typeof WebSocket;
  return server;
}

afterEach(() => {
  window.WebSocket = NativeWebSocket;
  current = undefined;
});

async function mount(items: unknown[]): Promise<{ el: AgentChat; server: FakeServer }> {
  localStorage.clear();
  const server = installFakeServer(items);
  const el = await fixture<AgentChat>(html`<agent-chat mode="inline" server="https://chat.example.test/" style="height: 560px"></agent-chat>`);
  await waitUntil(() => el.viewModel.thread !== null, 'thread never opened', wait);
  await el.updateComplete;
  return { el, server };
}

const root = (el: AgentChat) => el.shadowRoot!;
const cards = (el: AgentChat) => [...root(el).querySelectorAll<HTMLElement>('[part~="tool-call"]')];
const card = (el: AgentChat, tool: string) => cards(el).find((c) => c.dataset.tool === tool);
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('tool call display helpers', () => {
  it('makes a tool name readable when there is no title', () => {
    expect(humanizeName('refund_order')).to.equal('Refund order');
    expect(humanizeName('getWeatherForecast')).to.equal('Get weather forecast');
    expect(humanizeName('search-docs')).to.equal('Search docs');
    expect(humanizeName('___')).to.equal('___');
  });

  it('formats currency, numbers and dates in the given locale, and shows values that do not fit as they are', () => {
    const usd = { format: 'currency' as const, currency: 'USD' };
    expect(formatArg(59, usd, 'en-US')).to.equal('$59.00');
    expect(formatArg('1234.5', usd, 'en-US')).to.equal('$1,234.50');
    expect(formatArg(59, usd, 'de-DE')).to.equal('59,00\u00a0$');
    expect(formatArg(59, { format: 'currency', currency: 'EUR' }, 'fr-FR')).to.equal('59,00\u00a0€');
    expect(formatArg(1234567.5, { format: 'number' }, 'en-US')).to.equal('1,234,567.5');
    expect(formatArg('2026-11-02', { format: 'date' }, 'en-US')).to.equal('Nov 2, 2026');
    expect(formatArg('soon', { format: 'date' }, 'en-US')).to.equal('soon');
    expect(formatArg('fifty', usd, 'en-US')).to.equal('fifty');
    expect(formatArg(59, { format: 'currency', currency: 'not a code' }, 'en-US')).to.equal('59');
    expect(formatArg({ a: 1 }, undefined)).to.equal('{"a":1}');
  });

  it('fills the title template, drops a missing argument with its dangling separator, and never reads inherited keys', () => {
    const refund = call({ id: 'r', name: 'refund_order', arguments: { order_id: '1234', amount: 59 }, display: REFUND_DISPLAY });
    expect(toolTitle(refund, 'en-US')).to.equal('Refund order 1234 — $59.00');
    expect(toolTitle({ ...refund, arguments: { order_id: '1234' } }, 'en-US')).to.equal('Refund order 1234');
    expect(toolTitle({ ...refund, display: { title: '{constructor}{__proto__}{toString}' } })).to.equal('Refund order');
    expect(toolTitle({ ...refund, display: { title: 42 } as never })).to.equal('Refund order');
    expect(toolTitle({ ...refund, display: undefined })).to.equal('Refund order');
  });
});

describe('<agent-chat> tool call cards', () => {
  it('shows no offline-model note when the server does not say it is offline (ready without model)', async () => {
    const { el } = await mount([]);
    expect(el.viewModel.model).to.equal(null);
    expect(root(el).querySelector('[part~="model-note"]')).to.equal(null);
  });

  it('shows the title, labelled and formatted arguments, and the status; the raw name only in the details', async () => {
    const { el } = await mount([
      call({ id: 'a', name: 'refund_order', arguments: { order_id: '1234', amount: 59, reason: 'Charged twice' }, output: { refund_id: 'RF-1234' }, display: REFUND_DISPLAY }),
      call({ id: 'b', name: 'get_weather_forecast', arguments: { city: 'Oslo' }, status: 'running' }),
    ]);
    const refund = card(el, 'refund_order')!;
    expect(text(refund.querySelector('summary'))).to.equal('Refund order 1234 — $59.00 Done');
    expect(refund.dataset.state).to.equal('completed');
    const rows = [...refund.querySelectorAll('.tool__args dt')].map((dt) => `${text(dt)}: ${text(dt.nextElementSibling)}`);
    expect(rows).to.deep.equal(['Tool: refund_order', 'Order: 1234', 'Amount: $59.00', 'Reason: Charged twice']);
    expect(text(refund.querySelector('pre'))).to.contain('RF-1234');
    expect(getComputedStyle(refund.querySelector('.tool__icon')!, '::before').content).to.equal('"✓"');

    // No title: the tool name made readable, and a spinner while it runs.
    const forecast = card(el, 'get_weather_forecast')!;
    expect(text(forecast.querySelector('.tool__name'))).to.equal('Get weather forecast');
    expect(text(forecast.querySelector('.badge'))).to.equal('Running…');
    expect(getComputedStyle(forecast.querySelector('.tool__icon')!).animationName).to.equal('tool-spin');
    expect([...forecast.querySelectorAll('.tool__args dt')].map(text)).to.deep.equal(['Tool', 'City']);
  });

  it('asks "Refund order 1234 — $59.00?" on the approval card, with labelled arguments and Approve / Deny', async () => {
    const { el, server } = await mount([
      call({ id: 'p', name: 'refund_order', status: 'awaiting_approval', arguments: { order_id: '1234', amount: 59, reason: 'Charged twice' }, display: REFUND_DISPLAY }),
    ]);
    const approval = root(el).querySelector<HTMLElement>('[part~="approval"]')!;
    const title = approval.querySelector('.approval__title')!;
    expect(text(title)).to.equal('Refund order 1234 — $59.00?');
    expect(approval.getAttribute('aria-labelledby')).to.equal(title.id);
    expect(text(approval.querySelector('.approval__asker'))).to.equal('Billing asks for your approval.');
    expect([...approval.querySelectorAll('dt')].map(text)).to.deep.equal(['Order', 'Amount', 'Reason']);
    expect([...approval.querySelectorAll('dd')].map(text)).to.deep.equal(['1234', '$59.00', 'Charged twice']);
    expect(text(approval)).not.to.contain('refund_order');
    expect(text(approval)).not.to.contain('order_id');
    expect(cards(el)).to.have.length(0);
    (approval.querySelector('[part~="approve-button"]') as HTMLButtonElement).click();
    await waitUntil(() => server.sent.some((f) => f.type === 'tool.approval'), 'no tool.approval', wait);
    expect(server.sent.find((f) => f.type === 'tool.approval')).to.include({ callId: 'call_p', approved: true });
  });

  it('shows a call that found nothing as completed in neutral colours with its own words, and a failure in the danger colour', async () => {
    const { el } = await mount([
      call({ id: 'n', name: 'lookup_order', arguments: { order_id: '9999' }, noMatch: true, output: { found: false, message: 'No order with number "9999".' }, display: { title: 'Look up order {order_id}' } }),
      call({ id: 'f', name: 'search_docs', arguments: { query: 'x' }, status: 'failed', error: 'The help center is down.' }),
      call({ id: 'e', name: 'list_orders', noMatch: true, output: [] }),
    ]);
    const none = card(el, 'lookup_order')!;
    expect(none.dataset.status).to.equal('completed');
    expect(none.dataset.state).to.equal('no_match');
    expect(text(none.querySelector('.tool__name'))).to.equal('Look up order 9999');
    expect(text(none.querySelector('.tool__note'))).to.equal('No order with number "9999".');
    expect(text(none.querySelector('.badge'))).to.equal('Nothing found');
    const failed = card(el, 'search_docs')!;
    expect(text(failed.querySelector('.badge'))).to.equal('Failed');
    expect(text(failed.querySelector('.tool__error'))).to.equal('The help center is down.');

    const colour = (node: Element, pseudo?: string) => getComputedStyle(node, pseudo).color;
    const danger = colour(failed.querySelector('.badge')!);
    expect(colour(failed.querySelector('.tool__icon')!, '::before')).to.equal(danger);
    expect(colour(none.querySelector('.badge')!)).not.to.equal(danger);
    expect(colour(none.querySelector('.tool__icon')!, '::before')).not.to.equal(danger);
    expect(getComputedStyle(none.querySelector('.tool__icon')!, '::before').content).to.equal('"–"');
    // Without a message of its own, the neutral card says only that nothing was found.
    const empty = card(el, 'list_orders')!;
    expect(empty.querySelector('.tool__note')).to.equal(null);
    expect(text(empty.querySelector('.badge'))).to.equal('Nothing found');
  });

  it('renders hostile titles, arguments and outputs as text: nothing runs, no handler, no unsafe URL', async () => {
    const w = window as unknown as { __pwned?: number };
    w.__pwned = 0;
    const payloads = [
      '<script>window.__pwned++</script>',
      '<img src=x onerror="window.__pwned++">',
      '<a href="javascript:window.__pwned++">click</a>',
      '<svg onload="window.__pwned++"><script>window.__pwned++</script></svg>',
      '&lt;img src=x onerror=window.__pwned++&gt;',
      '<iframe srcdoc="<script>parent.__pwned++</script>"></iframe>',
      '"><img src=x onerror=window.__pwned++>',
      '{{constructor.constructor("window.__pwned++")()}}',
    ];
    const hostile = payloads.flatMap((p, i): Item[] => [
      call({
        id: `x${i}`,
        name: `tool_${i}`,
        arguments: { [p]: p, amount: p, when: p },
        output: { message: p, html: p },
        error: p,
        status: i % 2 ? 'failed' : 'completed',
        display: { title: `${p} {amount} {when}`, args: { [p]: { label: p, format: 'text' }, amount: { label: p, format: 'currency', currency: 'USD' }, when: { label: p, format: 'date' } } },
      }),
      call({ id: `y${i}`, name: `<b>${i}</b>`, status: 'awaiting_approval', arguments: { a: p }, display: { title: p, args: { a: { label: p, format: 'text' } } } }),
      call({ id: `z${i}`, name: `nm_${i}`, noMatch: true, output: { found: false, message: p } }),
    ]);
    const { el } = await mount(hostile);
    for (const details of cards(el)) (details as HTMLDetailsElement).open = true;
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 100));
    expect(w.__pwned).to.equal(0);

    const shadow = root(el);
    expect(shadow.querySelectorAll('script, iframe, img, svg a, object, embed').length, 'injected elements').to.equal(0);
    expect(shadow.querySelectorAll('.tool svg, .approval svg').length, 'no SVG in tool cards').to.equal(0);
    for (const node of shadow.querySelectorAll('*')) {
      for (const attr of node.getAttributeNames()) {
        expect(attr.startsWith('on'), `handler attribute ${attr} on <${node.localName}>`).to.equal(false);
        expect(/^\s*javascript:/i.test(node.getAttribute(attr) ?? ''), `javascript: URL in ${attr}`).to.equal(false);
      }
    }
    // The payloads are there, as text.
    const x0 = card(el, 'tool_0')!;
    expect(text(x0.querySelector('.tool__name'))).to.equal(`${payloads[0]} ${payloads[0]} ${payloads[0]}`);
    const approvals = [...shadow.querySelectorAll('[part~="approval"]')];
    expect(approvals).to.have.length(payloads.length);
    expect(text(approvals[1]!.querySelector('.approval__title'))).to.equal(`${payloads[1]}?`);
    expect(text(card(el, 'nm_3')!.querySelector('.tool__note'))).to.equal(payloads[3]);
    expect(text(card(el, 'tool_4')!.querySelector('.tool__name'))).to.contain('&lt;img');
  });
});

describe('items of a type this widget does not know', () => {
  it('renders the rest of a thread.opened and warns once per type per element, not per frame', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      warnings.push(args.map(String).join(' '));
    };
    try {
      const product = (id: string) => ({ id, type: 'product_card', createdAt, title: '<img src=x onerror=alert(1)>' });
      const items = [
        { id: 'u1', type: 'user_message', createdAt, text: 'Where is order 1234?', attachments: [] },
        product('p1'),
        call({ id: 'l1', arguments: { order_id: '1234' }, display: { title: 'Look up order {order_id}' } }),
        product('p2'),
        { id: 'm1', type: 'assistant_message', createdAt, agent: 'billing', text: 'It shipped.', status: 'done' },
        { id: 'v1', type: 'video', createdAt },
      ];
      const { el, server } = await mount(items);
      expect(el.viewModel.items.map((i) => i.id)).to.deep.equal(['u1', 'l1', 'm1']);
      expect(text(card(el, 'lookup_order')!.querySelector('.tool__name'))).to.equal('Look up order 1234');
      expect(text(root(el).querySelector('[part~="assistant-message"] .bubble'))).to.equal('It shipped.');

      // More of the same types, frame after frame: no new warning; the seq still advances.
      server.push({ type: 'item.added', threadId: 'th_1', seq: 2, item: product('p3') });
      server.push({ type: 'item.done', threadId: 'th_1', seq: 3, item: product('p3') });
      server.push({ type: 'item.added', threadId: 'th_1', seq: 4, item: { id: 'm2', type: 'assistant_message', createdAt, agent: 'billing', text: 'Anything else?', status: 'done' } });
      await waitUntil(() => el.viewModel.items.some((i) => i.id === 'm2'), 'the item after the unknown ones', wait);
      expect(el.viewModel.lastSeq).to.equal(4);
      const skipped = warnings.filter((w) => w.includes('skipping items of type'));
      expect(skipped).to.have.length(2);
      expect(skipped[0]).to.contain('"product_card"');
      expect(skipped[1]).to.contain('"video"');

      // A second element on the page reports them once for itself.
      const second = await mount([product('p9')]);
      expect(second.el.viewModel.items).to.have.length(0);
      expect(warnings.filter((w) => w.includes('skipping items of type'))).to.have.length(3);
      expect(current).to.equal(second.server);
    } finally {
      console.warn = warn;
    }
  });
});
