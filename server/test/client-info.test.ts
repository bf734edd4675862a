import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientInfo } from '../src/transport/client-info.ts';

function request(headers: IncomingMessage['headers'], remoteAddress = '10.0.0.2'): Pick<IncomingMessage, 'headers' | 'socket'> {
  return { headers, socket: { remoteAddress } as IncomingMessage['socket'] };
}

describe('clientInfo', () => {
  it('Should ignore X-Forwarded-For unless the proxy is trusted', () => {
    expect(clientInfo(request({ 'x-forwarded-for': '203.0.113.9' }), false).ip).toBe('10.0.0.2');
  });

  it("Should take the last X-Forwarded-For hop behind a trusted proxy, not one the client wrote", () => {
    // The client sent "1.2.3.4"; an appending proxy (nginx $proxy_add_x_forwarded_for) added the real address.
    expect(clientInfo(request({ 'x-forwarded-for': '1.2.3.4, 203.0.113.9' }), true).ip).toBe('203.0.113.9');
    expect(clientInfo(request({ 'x-forwarded-for': ['1.2.3.4', '203.0.113.7'] }), true).ip).toBe('203.0.113.7');
    expect(clientInfo(request({}), true).ip).toBe('10.0.0.2');
  });

  it('Should unwrap IPv4-mapped IPv6 peers and drop an opaque origin', () => {
    const info = clientInfo(request({ origin: 'null' }, '::ffff:127.0.0.1'), false);
    expect(info).toEqual({ ip: '127.0.0.1', origin: undefined });
    expect(clientInfo(request({ origin: 'https://shop.example' }), false).origin).toBe('https://shop.example');
  });
});
