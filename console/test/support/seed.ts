/*
 * Conversations on the REAL server (the demo workflows on the offline model) for the console
 * tests: a visitor over a real WebSocket, as the widget would be.
 */
import { PROTOCOL_VERSION } from '@agent-chat/shared';

type Message = Record<string, unknown> & { type: string };

/** A visitor's socket: requests with replies, and waits for any message. */
class Visitor {
  readonly #ws: WebSocket;
  readonly #received: Message[] = [];
  #ids = 0;
  #wake: Array<() => void> = [];

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.addEventListener('message', (e) => {
      this.#received.push(JSON.parse(String(e.data)) as Message);
      for (const wake of this.#wake.splice(0)) wake();
    });
  }

  static async connect(serverUrl: string): Promise<Visitor> {
    const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/v1/ws`);
    await new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve, { once: true });
      ws.addEventListener('error', reject, { once: true });
    });
    const visitor = new Visitor(ws);
    await visitor.request({ type: 'hello', protocol: PROTOCOL_VERSION });
    return visitor;
  }

  send(message: Record<string, unknown>): void {
    this.#ws.send(JSON.stringify(message));
  }

  request(message: Record<string, unknown>): Promise<Message> {
    const id = `s${++this.#ids}`;
    this.send({ ...message, id });
    return this.waitFor((m) => m.replyTo === id);
  }

  async waitFor(match: (m: Message) => boolean, timeoutMs = 15_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.#received.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out; received ${this.#received.map((m) => m.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        this.#wake.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  /** Creates a thread of `workflow`, sends `text` and waits for the run to end; returns the ids and how it ended. */
  async ask(workflow: string, text: string): Promise<{ threadId: string; runId: string; status: string }> {
    const opened = (await this.request({ type: 'thread.create', workflow })) as unknown as { thread: { id: string } };
    const accepted = (await this.request({ type: 'message.send', threadId: opened.thread.id, clientMessageId: `m${this.#ids}`, text })) as unknown as { runId: string };
    const finished = await this.waitFor((m) => m.type === 'run.finished' && m.runId === accepted.runId);
    return { threadId: opened.thread.id, runId: accepted.runId, status: String(finished.status) };
  }

  /** Rates the thread's last assistant message (from the events received) and waits for the server's answer. */
  async rateLastReply(threadId: string, rating: 'up' | 'down'): Promise<void> {
    const replies = this.#received.filter((m) => m.threadId === threadId && m.type === 'item.added' && (m.item as { type?: string }).type === 'assistant_message');
    const item = replies.at(-1)?.item as { id: string } | undefined;
    if (!item) throw new Error('no assistant reply to rate');
    const saved = await this.request({ type: 'feedback', threadId, itemId: item.id, rating });
    if (saved.type !== 'feedback.saved') throw new Error(`feedback was answered with ${saved.type}`);
  }

  /** The tool call of a thread waiting for approval, from the events received. */
  waitingCall(threadId: string): string {
    const added = this.#received.find((m) => m.threadId === threadId && m.type === 'item.added' && (m.item as { status?: string }).status === 'awaiting_approval');
    if (!added) throw new Error('no call waits for approval');
    return (added.item as { callId: string }).callId;
  }

  /** Approves a waiting call and waits for the run it starts to end. */
  async approve(threadId: string, callId: string, afterRunId: string): Promise<void> {
    this.send({ type: 'tool.approval', threadId, callId, approved: true });
    const started = await this.waitFor((m) => m.type === 'run.started' && m.threadId === threadId && m.runId !== afterRunId);
    await this.waitFor((m) => m.type === 'run.finished' && m.runId === started.runId);
  }

  close(): void {
    this.#ws.close();
  }
}

/** Opens a visitor's socket on the real server (close it when done). */
export function visitorOn(serverUrl: string): Promise<Visitor> {
  return Visitor.connect(serverUrl);
}

/** The real server's URL and the ADMIN_TOKEN it runs with. */
export async function realServer(): Promise<{ url: string; adminToken: string }> {
  const response = await fetch('/__agent-chat-server');
  if (!response.ok) throw new Error(`GET /__agent-chat-server: ${response.status}`);
  return (await response.json()) as { url: string; adminToken: string };
}

/**
 * Two conversations of one visitor: a refund that waited for approval and was approved, and one
 * whose message tries to inject markup. Returns their thread ids and the unique marker in both titles.
 */
export async function seedConversations(serverUrl: string): Promise<{ refund: string; hostile: string; marker: string }> {
  const visitor = await Visitor.connect(serverUrl);
  try {
    const marker = `m${Math.random().toString(36).slice(2, 8)}`;
    const refund = await visitor.ask('support', `refund order 1234 ${marker}`);
    if (refund.status !== 'interrupted') throw new Error(`the refund run ended ${refund.status}, not waiting for approval`);
    await visitor.approve(refund.threadId, visitor.waitingCall(refund.threadId), refund.runId);
    const hostile = await visitor.ask('support', `${marker} <img src=x onerror="window.__pwned=1"> **bold** <script>window.__pwned=2</script>`);
    return { refund: refund.threadId, hostile: hostile.threadId, marker };
  } finally {
    visitor.close();
  }
}
