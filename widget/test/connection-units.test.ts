import { expect } from '@open-wc/testing';
import { createBackoff } from '../src/connection/backoff.ts';
import { parseServerFrame } from '../src/connection/frame-check.ts';
import { reduce } from '../src/state/reducer.ts';
import { initialViewModel } from '../src/state/view-model.ts';
import { defaultServer, normalizeServer, socketUrl } from '../src/connection/server-url.ts';

describe('createBackoff', () => {
  it('grows exponentially from 0.5 s to a 10 s ceiling, with jitter in the upper half', () => {
    const low = createBackoff({ random: () => 0 });
    expect(Array.from({ length: 8 }, () => low.next())).to.deep.equal([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    const high = createBackoff({ random: () => 0.999999 });
    expect(Array.from({ length: 7 }, () => high.next())).to.deep.equal([500, 1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('starts over after reset', () => {
    const b = createBackoff({ random: () => 0.5 });
    b.next();
    b.next();
    expect(b.attempts).to.equal(2);
    b.reset();
    expect(b.attempts).to.equal(0);
    expect(b.next()).to.equal(375);
  });
});

describe('parseServerFrame', () => {
  it('accepts well-formed frames', () => {
    const delta = parseServerFrame(JSON.stringify({ type: 'text.delta', threadId: 't', seq: 3, itemId: 'i', delta: 'x' }));
    expect(delta?.type).to.equal('text.delta');
    const added = parseServerFrame(
      JSON.stringify({ type: 'item.added', threadId: 't', seq: 1, item: { id: 'i', type: 'user_message', createdAt: 'x', text: 'hi' } }),
    );
    expect(added?.type).to.equal('item.added');
  });

  it('rejects junk: non-JSON, arrays, unknown types, missing or wrong fields', () => {
    const bad = [
      'not json',
      '[1,2]',
      'null',
      JSON.stringify({ type: 'nope' }),
      JSON.stringify({ type: 'toString' }),
      JSON.stringify({ type: 'text.delta', threadId: 't', seq: 0, itemId: 'i', delta: 'x' }),
      JSON.stringify({ type: 'text.delta', threadId: 't', seq: 1.5, itemId: 'i', delta: 'x' }),
      JSON.stringify({ type: 'text.delta', threadId: 't', seq: 1, itemId: 'i', delta: 5 }),
      JSON.stringify({ type: 'item.added', threadId: 't', seq: 1, item: { id: 'i', type: 'user_message', text: 5 } }),
      JSON.stringify({ type: 'item.added', threadId: 't', seq: 1, item: { type: 'script', text: 'x' } }),
      JSON.stringify({ type: 'item.done', threadId: 't', seq: 1, item: { id: 'i', type: 'tool_call', name: 'x', status: 'running' } }),
      JSON.stringify({ type: 'thread.opened', thread: { id: 't' }, workflow: { agents: [] }, lastSeq: 0, items: [{ id: 1 }] }),
    ];
    for (const raw of bad) expect(parseServerFrame(raw), raw).to.equal(null);
    expect(parseServerFrame(new ArrayBuffer(4))).to.equal(null);
  });
});

describe('items of a type this widget does not know (a newer server)', () => {
  const card = { id: 'c1', type: 'product_card', createdAt: 'x', title: '<img src=x onerror=alert(1)>' };
  const user = { id: 'u1', type: 'user_message', createdAt: 'x', text: 'hi' };

  it('keeps the frame and drops the item from a thread.opened or thread.items', () => {
    const opened = parseServerFrame(JSON.stringify({ type: 'thread.opened', thread: { id: 't' }, workflow: { agents: [] }, lastSeq: 2, items: [user, card] }));
    expect(opened?.type).to.equal('thread.opened');
    expect((opened as { items: unknown[] }).items).to.deep.equal([user]);
    const page = parseServerFrame(JSON.stringify({ type: 'thread.items', threadId: 't', items: [card, user] }));
    expect((page as { items: unknown[] }).items).to.deep.equal([user]);
  });

  it('lets its item.added through for its seq, and the reducer skips the item', () => {
    const added = parseServerFrame(JSON.stringify({ type: 'item.added', threadId: 't', seq: 3, item: card }));
    expect(added?.type).to.equal('item.added');
    let vm = reduce(initialViewModel(), parseServerFrame(JSON.stringify({ type: 'thread.opened', thread: { id: 't', title: '', workflow: 'support', currentAgent: 'triage', createdAt: 'x', updatedAt: 'x' }, workflow: { id: 'support', name: 'S', agents: [] }, lastSeq: 2, items: [user] }))!);
    vm = reduce(vm, added!);
    expect(vm.lastSeq).to.equal(3);
    expect(vm.items.map((i) => i.id)).to.deep.equal(['u1']);
    // The next event follows without a gap.
    vm = reduce(vm, parseServerFrame(JSON.stringify({ type: 'item.added', threadId: 't', seq: 4, item: { ...user, id: 'u2' } }))!);
    expect(vm.items.map((i) => i.id)).to.deep.equal(['u1', 'u2']);
    expect(vm.needsResync).to.not.equal(true);
  });
});

describe('server URLs', () => {
  it('maps http to ws and https to wss under the server base path', () => {
    expect(socketUrl('http://localhost:8787')).to.equal('ws://localhost:8787/v1/ws');
    expect(socketUrl('https://chat.example.com/')).to.equal('wss://chat.example.com/v1/ws');
    expect(socketUrl('https://example.com/agent-chat?x=1#y')).to.equal('wss://example.com/agent-chat/v1/ws');
  });

  it("adds the site's public key as ?key=, URL-encoded, and nothing without one", () => {
    expect(socketUrl('https://chat.example.com', 'pk_live_123')).to.equal('wss://chat.example.com/v1/ws?key=pk_live_123');
    expect(socketUrl('http://localhost:8787/chat?x=1', 'a b&c=d/é')).to.equal('ws://localhost:8787/chat/v1/ws?key=a+b%26c%3Dd%2F%C3%A9');
    expect(new URL(socketUrl('http://localhost:8787', 'a b&c=d/é')).searchParams.get('key')).to.equal('a b&c=d/é');
    expect(socketUrl('http://localhost:8787', '')).to.equal('ws://localhost:8787/v1/ws');
    expect(socketUrl('http://localhost:8787', undefined)).to.equal('ws://localhost:8787/v1/ws');
  });

  it('refuses other schemes', () => {
    expect(() => normalizeServer('javascript:alert(1)')).to.throw(TypeError);
    expect(() => normalizeServer('ftp://example.com')).to.throw(TypeError);
  });

  it('defaults to the directory that served the module (a proxy prefix is kept), else the page', () => {
    expect(defaultServer('https://cdn.example.com:8443/widget.js')).to.equal('https://cdn.example.com:8443/');
    expect(defaultServer('https://shop.example/chat/widget.js')).to.equal('https://shop.example/chat/');
    expect(defaultServer('https://shop.example/chat/widget.js?v=3#x')).to.equal('https://shop.example/chat/');
    expect(socketUrl(defaultServer('https://shop.example/chat/widget.js'))).to.equal('wss://shop.example/chat/v1/ws');
    expect(socketUrl(defaultServer('http://localhost:8787/widget.js'))).to.equal('ws://localhost:8787/v1/ws');
    expect(defaultServer('blob:whatever')).to.equal(location.origin);
    expect(defaultServer('data:text/javascript,1')).to.equal(location.origin);
  });
});
