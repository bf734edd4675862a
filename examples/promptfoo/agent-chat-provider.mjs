/**
 * A Promptfoo custom provider that talks to a running agent-chat server over its WebSocket
 * protocol (docs/protocol.md), as a visitor would: hello, a new thread, the prompt as a message,
 * then the thread's events until the run finishes. No server code is involved: whatever the
 * server is configured with (workflows, tools, connectors, guardrails, model) answers.
 *
 * promptfooconfig.yaml:
 *   providers:
 *     - id: file://agent-chat-provider.mjs
 *       config: { url: ws://127.0.0.1:8787/v1/ws, workflow: support, publicKey: pk_… }
 *
 * `config.approve` (true/false) answers every tool call that waits for approval; without it the
 * output is what the run said before it stopped to ask. The result's `metadata` holds the tool
 * calls, handoffs, guardrail trips and run status, for `javascript` assertions.
 */
import WebSocket from 'ws';

export default class AgentChatProvider {
  constructor(options = {}) {
    this.config = { url: 'ws://127.0.0.1:8787/v1/ws', workflow: 'support', timeoutMs: 120_000, ...(options.config ?? {}) };
    this.providerId = options.id ?? `agent-chat:${this.config.workflow}`;
  }

  id() {
    return this.providerId;
  }

  async callApi(prompt) {
    try {
      return await this.#converse(String(prompt));
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  #converse(prompt) {
    const { url, workflow, publicKey, approve, timeoutMs } = this.config;
    const socket = new WebSocket(publicKey ? `${url}?key=${encodeURIComponent(publicKey)}` : url);
    const items = new Map();
    const usage = { inputTokens: 0, outputTokens: 0 };
    let threadId;
    let status;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      const send = (frame) => socket.send(JSON.stringify(frame));
      const done = (error) => {
        clearTimeout(timer);
        socket.close();
        if (error) return reject(error);
        const all = [...items.values()];
        const of = (type) => all.filter((item) => item.type === type);
        resolve({
          output: of('assistant_message').map((m) => m.text).join('\n\n'),
          tokenUsage: { prompt: usage.inputTokens, completion: usage.outputTokens, total: usage.inputTokens + usage.outputTokens },
          metadata: {
            threadId,
            status,
            toolCalls: of('tool_call').map(({ name, arguments: args, status: callStatus }) => ({ name, arguments: args, status: callStatus })),
            handoffs: of('handoff').map(({ from, to }) => ({ from, to })),
            guardrails: of('guardrail').map(({ name, stage }) => ({ name, stage })),
          },
        });
      };
      socket.on('error', (error) => done(error));
      socket.on('open', () => send({ type: 'hello', protocol: 1, ...(publicKey ? { publicKey } : {}) }));
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data));
        switch (frame.type) {
          case 'ready':
            return send({ type: 'thread.create', workflow });
          case 'thread.opened':
            threadId = frame.thread.id;
            return send({ type: 'message.send', threadId, clientMessageId: `promptfoo-${Date.now()}`, text: prompt });
          case 'error':
            return done(new Error(`${frame.code}: ${frame.message}`));
          case 'item.added':
          case 'item.done':
            items.set(frame.item.id, frame.item);
            return;
          case 'item.removed':
            items.delete(frame.itemId);
            return;
          case 'run.finished': {
            usage.inputTokens += frame.usage?.inputTokens ?? 0;
            usage.outputTokens += frame.usage?.outputTokens ?? 0;
            status = frame.status;
            const waiting = [...items.values()].filter((item) => item.type === 'tool_call' && item.status === 'awaiting_approval');
            if (frame.status === 'interrupted' && typeof approve === 'boolean' && waiting.length > 0) {
              for (const call of waiting) send({ type: 'tool.approval', threadId, callId: call.callId, approved: approve });
              return;
            }
            return done();
          }
          default:
            return;
        }
      });
    });
  }
}
