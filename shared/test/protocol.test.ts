import { describe, expect, it } from 'vitest';
import {
  CLIENT_MESSAGE_TYPES,
  ClientMessage,
  ERROR_CODES,
  PROTOCOL_VERSION,
  ServerMessage,
  THREAD_EVENT_TYPES,
  decodeClientMessage,
  decodeServerMessage,
  isCompatible,
  isRetryable,
  isThreadEvent,
} from '@agent-chat/shared';
import { clientFixtures, serverFixtures } from './fixtures.ts';

describe('client messages', () => {
  it('has a fixture for every client message type', () => {
    expect(Object.keys(clientFixtures).sort()).toEqual([...CLIENT_MESSAGE_TYPES].sort());
  });

  for (const [type, { valid, invalid }] of Object.entries(clientFixtures)) {
    it(`decodes a valid ${type}`, () => {
      const result = decodeClientMessage(JSON.stringify(valid));
      expect(result).toMatchObject({ ok: true, message: { type } });
    });

    it(`refuses an invalid ${type} as invalid_request`, () => {
      const result = decodeClientMessage(JSON.stringify(invalid));
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.code).toBe('invalid_request');
        expect(result.message).toContain(type);
      }
    });
  }

  it('carries the frame id back as replyTo on invalid_request', () => {
    const result = decodeClientMessage(JSON.stringify({ type: 'thread.create', id: 'req-7' }));
    expect(result).toMatchObject({ ok: false, code: 'invalid_request', replyTo: 'req-7' });
  });

  it('does not echo an id the schema refuses (too long or empty) as replyTo', () => {
    for (const id of ['x'.repeat(129), '']) {
      const result = decodeClientMessage(JSON.stringify({ type: 'thread.create', id }));
      expect(result.ok).toBe(false);
      expect(result).not.toHaveProperty('replyTo');
    }
  });

  it.each([
    ['invalid JSON', '{"type":'],
    ['an array', '[1,2]'],
    ['a number', '42'],
    ['null', 'null'],
    ['no type', '{"id":"x"}'],
    ['a non-string type', '{"type":7}'],
    ['an unknown type', '{"type":"thread.explode"}'],
  ])('refuses %s as bad_frame', (_label, raw) => {
    const result = decodeClientMessage(raw);
    expect(result).toMatchObject({ ok: false, code: 'bad_frame' });
  });

  it('refuses binary frames as bad_frame without throwing', () => {
    expect(decodeClientMessage(new Uint8Array([1, 2, 3]))).toMatchObject({ ok: false, code: 'bad_frame' });
    expect(decodeClientMessage(undefined)).toMatchObject({ ok: false, code: 'bad_frame' });
  });

  it('never echoes a huge unknown type back in full', () => {
    const result = decodeClientMessage(JSON.stringify({ type: 'x'.repeat(10_000) }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeLessThan(200);
  });
});

describe('server messages', () => {
  it('has a fixture for every server message type', () => {
    const types = ServerMessage.options.map((o) => o.shape.type.value);
    expect(Object.keys(serverFixtures).sort()).toEqual([...types].sort());
  });

  for (const [type, { valid, invalid }] of Object.entries(serverFixtures)) {
    it(`decodes a valid ${type}`, () => {
      expect(decodeServerMessage(JSON.stringify(valid))).toMatchObject({ ok: true, message: { type } });
    });
    it(`refuses an invalid ${type}`, () => {
      expect(decodeServerMessage(JSON.stringify(invalid)).ok).toBe(false);
    });
  }

  it('marks exactly the numbered thread events', () => {
    for (const [type, { valid }] of Object.entries(serverFixtures)) {
      const message = ServerMessage.parse(valid);
      expect(isThreadEvent(message)).toBe(THREAD_EVENT_TYPES.has(type));
      expect(THREAD_EVENT_TYPES.has(type)).toBe('seq' in valid);
    }
  });

  it('fills default attachments on a user message', () => {
    const parsed = ServerMessage.parse({
      type: 'item.added', threadId: 't', seq: 1,
      item: { id: 'i', type: 'user_message', createdAt: 'now', text: 'x' },
    });
    expect(parsed).toMatchObject({ item: { attachments: [] } });
  });
});

describe('version and error codes', () => {
  it('speaks protocol 1 only', () => {
    expect(PROTOCOL_VERSION).toBe(1);
    expect(isCompatible(1)).toBe(true);
    expect(isCompatible(2)).toBe(false);
  });

  it('lists every error code of docs/protocol.md and marks the retryable ones', () => {
    expect(ERROR_CODES).toHaveLength(12);
    expect(ERROR_CODES.filter(isRetryable).sort()).toEqual(['internal', 'rate_limited', 'upstream_error']);
  });

  it('parses a hello through the union type', () => {
    expect(ClientMessage.parse({ type: 'hello', protocol: 1 })).toEqual({ type: 'hello', protocol: 1 });
  });

  it('keeps a hello whose visitorToken is not a string or too long (the server gives a new visitor)', () => {
    for (const visitorToken of [42, null, { a: 1 }, 'x'.repeat(10_000)]) {
      expect(ClientMessage.safeParse({ type: 'hello', protocol: 1, visitorToken }).success).toBe(true);
    }
    expect(ClientMessage.safeParse({ type: 'hello', protocol: 1, userToken: 42 }).success).toBe(false);
  });
});
