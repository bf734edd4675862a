import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signs and verifies small JSON payloads with HMAC-SHA256: `<kind>.<payload>.<signature>`,
 * all base64url. The kind is signed too, so a token of one kind never passes as another.
 */
export class TokenSigner {
  #secret: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('token secret is too short');
    this.#secret = Buffer.from(secret, 'utf8');
  }

  sign(kind: string, payload: Record<string, unknown>): string {
    const body = `${kind}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${body}.${this.#mac(body)}`;
  }

  /** The payload of a genuine token of `kind`; undefined for anything else (never throws). */
  verify(kind: string, token: unknown): Record<string, unknown> | undefined {
    if (typeof token !== 'string' || token.length > 2048) return undefined;
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== kind) return undefined;
    const body = `${parts[0]}.${parts[1]}`;
    const expected = Buffer.from(this.#mac(body));
    const given = Buffer.from(parts[2]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const payload: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
      return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
        ? (payload as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#secret).update(body).digest('base64url');
  }
}
