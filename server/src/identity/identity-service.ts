import type { ConnectionUser, Hello } from '@agent-chat/shared';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { ownerKey } from './owner-key.ts';
import { TokenSigner } from './token-signer.ts';

/** Who is on the other end of a connection. */
export interface Identity {
  /** The key threads are owned by, e.g. `visitor:vis_…`. Never chosen by the client. */
  ownerKey: string;
  /** The site the connection belongs to; null when the server runs open (no sites file). */
  siteId: string | null;
  user: ConnectionUser;
  /** The signed token the client keeps to stay the same visitor. */
  visitorToken: string;
}

export interface IdentityServiceOptions {
  /** HMAC secret for every token the server issues. */
  secret: string;
  now?: () => number;
  /** Lifetime of an upload token. */
  uploadTokenTtlMs?: number;
}

const VISITOR_KIND = 'vt1';
const UPLOAD_KIND = 'ut1';
const VISITOR_ID = /^vis_[A-Za-z0-9_-]{16,64}$/;

/**
 * Turns a `hello` into an identity. Anonymous visitors get a server-signed `visitorToken`; a
 * missing, forged or unreadable one simply gets a new visitor.
 *
 * Not yet: `userToken` (JWT HS256 per site) and `publicKey` sites. With no sites configured the
 * server runs open; a `userToken` cannot be verified and is refused as `unauthorized`.
 */
export class IdentityService {
  #signer: TokenSigner;
  #now: () => number;
  #uploadTtlMs: number;

  constructor({ secret, now = Date.now, uploadTokenTtlMs = 60 * 60 * 1000 }: IdentityServiceOptions) {
    this.#signer = new TokenSigner(secret);
    this.#now = now;
    this.#uploadTtlMs = uploadTokenTtlMs;
  }

  /** @throws AppError unauthorized for a `userToken` (no site can verify it yet). */
  resolve(hello: Pick<Hello, 'visitorToken' | 'userToken'>): Identity {
    if (hello.userToken !== undefined) {
      throw new AppError('unauthorized', 'This server has no site configured to verify user tokens.');
    }
    const visitorId = this.verifyVisitorToken(hello.visitorToken) ?? newId('vis');
    return {
      ownerKey: ownerKey(null, 'visitor', visitorId),
      siteId: null,
      user: { id: visitorId, kind: 'visitor' },
      visitorToken: this.#signer.sign(VISITOR_KIND, { v: visitorId }),
    };
  }

  /** The visitor id inside a genuine visitor token; undefined otherwise. */
  verifyVisitorToken(token: unknown): string | undefined {
    const payload = this.#signer.verify(VISITOR_KIND, token);
    const id = payload?.v;
    return typeof id === 'string' && VISITOR_ID.test(id) ? id : undefined;
  }

  /** A short-lived token that authorises uploads for this identity (`Authorization: Bearer …`). */
  uploadToken(identity: Identity): string {
    return this.#signer.sign(UPLOAD_KIND, { sub: identity.ownerKey, exp: this.#now() + this.#uploadTtlMs });
  }

  /** The owner key inside a genuine, unexpired upload token; undefined otherwise. */
  verifyUploadToken(token: unknown): string | undefined {
    const payload = this.#signer.verify(UPLOAD_KIND, token);
    if (!payload || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return undefined;
    return payload.exp > this.#now() ? payload.sub : undefined;
  }
}
