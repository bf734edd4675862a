import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The two pages the widget section compares, each driven the same way from outside:
 * `window.__ready` resolves once a thread is open, `window.__start()` sends the one message,
 * `window.__finished` resolves (after two more frames, so the last paint counts) with the
 * final text and the text on screen once the answer is complete.
 */
export interface StreamPages {
  /** `<agent-chat mode="inline">` loaded from the agent-chat server. */
  widgetUrl: string;
  /** A plain WebSocket client that appends each `text.delta` to a div. */
  plainUrl: string;
  close(): Promise<void>;
}

const PROMPT = 'Write a long answer.';

/** Waits two animation frames: the frame that renders the last change has been painted. */
const AFTER_PAINT = 'const afterPaint = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));';

function widgetPage(serverUrl: string): string {
  return `<!doctype html><meta charset="utf-8"><title>widget</title>
<script>
${AFTER_PAINT}
window.__ready = new Promise((resolve) => document.addEventListener('agent-chat-ready', () => resolve(true), { once: true }));
window.__finished = new Promise((resolve) => document.addEventListener('agent-chat-message', (e) => {
  const item = e.detail.item;
  if (item.type !== 'assistant_message') return;
  // What the visitor sees: the text of every shadow root, so a reply that never rendered fails.
  const seen = (node) => [...node.querySelectorAll('*')].map((el) => (el.shadowRoot ? seen(el.shadowRoot) : '')).join(' ') + ' ' + node.textContent;
  afterPaint().then(() => resolve({ status: item.status, text: item.text, rendered: seen(document.querySelector('agent-chat').shadowRoot) }));
}));
window.__start = () => {
  if (!document.querySelector('agent-chat').send(${JSON.stringify(PROMPT)})) throw new Error('the widget refused to send');
};
</script>
<script type="module" src="${serverUrl}/widget.js"></script>
<agent-chat mode="inline" server="${serverUrl}" workflow="bench" style="display:block;height:600px;width:420px"></agent-chat>`;
}

function plainPage(wsUrl: string): string {
  return `<!doctype html><meta charset="utf-8"><title>plain</title>
<div id="out" style="width:420px;white-space:pre-wrap"></div>
<script>
${AFTER_PAINT}
const out = document.getElementById('out');
let ws;
let threadId;
let nextSeq = 0;
let finish;
window.__finished = new Promise((resolve) => (finish = resolve));
window.__ready = new Promise((resolve) => {
  ws = new WebSocket(${JSON.stringify(wsUrl)});
  ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', id: 'h', protocol: 1 }));
  ws.onmessage = (e) => {
    const f = JSON.parse(e.data);
    if (f.replyTo === 'h') return ws.send(JSON.stringify({ type: 'thread.create', id: 't', workflow: 'bench' }));
    if (f.replyTo === 't') {
      threadId = f.thread.id;
      nextSeq = f.lastSeq + 1;
      return resolve(true);
    }
    if (f.threadId !== threadId || f.seq === undefined) return;
    if (f.seq !== nextSeq++) return finish({ status: 'seq ' + f.seq + ' out of order', text: out.textContent, rendered: '' });
    if (f.type === 'text.delta') out.append(f.delta);
    else if (f.type === 'run.finished') afterPaint().then(() => finish({ status: f.status === 'completed' ? 'done' : f.status, text: out.textContent, rendered: out.textContent }));
  };
});
window.__start = () => ws.send(JSON.stringify({ type: 'message.send', id: 'm', threadId, clientMessageId: 'm1', text: ${JSON.stringify(PROMPT)} }));
</script>`;
}

/** Serves both pages on 127.0.0.1 for the agent-chat server at `serverUrl` / `wsUrl`. */
export async function serveStreamPages(serverUrl: string, wsUrl: string): Promise<StreamPages> {
  const pages: Record<string, string> = { '/widget.html': widgetPage(serverUrl), '/plain.html': plainPage(wsUrl) };
  const server: Server = createServer((req, res) => {
    const page = pages[req.url ?? ''];
    if (!page) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    widgetUrl: `${base}/widget.html`,
    plainUrl: `${base}/plain.html`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
