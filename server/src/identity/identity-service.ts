import type { ConnectionUser, Hello } from '@agent-chat/shared';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Site, SiteRegistry } from '../sites/site-registry.ts';
import { ownerKey } from './owner-key.ts';
import { MAX_PREVIEW_TICKET_CHARS, PREVIEW_KIND, PREVIEW_TICKET_TTL_MS, type PreviewGrant } from './preview-ticket.ts';
import { TokenSigner } from './token-signer.ts';
import { verifyUserToken } from './user-token.ts';

/** Who is on the other end of a connection. */
export interface Identity {
  /** The key threads are owned by, e.g. `visitor:vis_…`. Never chosen by the client. */
  ownerKey: string;
  /** The site the connection belongs to; null when the server runs open (no sites file). */
  siteId: string | null;
  user: ConnectionUser;
  /** The signed token the client keeps to stay the same visitor. */
  visitorToken: string;
  /** A console preview: the one workflow it may run. */
  previewWorkflow?: string;
}

/** Where a `hello` comes from, as the transport saw it at the upgrade. */
export interface HelloOrigin {
  /** The browser's `Origin` header; undefined for non-browser clients. */
  origin?: string | undefined;
  /** The site named by the socket URL's `?key=`, already checked against `origin`. */
  keySite?: Site | undefined;
}

export interface IdentityServiceOptions {
  /** HMAC secret for every token the server issues. */
  secret: string;
  /** The configured sites; undefined runs open (any page, no user tokens). */
  sites?: SiteRegistry | undefined;
  now?: () => number;
  /** Lifetime of an upload token. */
  uploadTokenTtlMs?: number;
  /** Lifetime of a visitor token; each `hello` issues a fresh one. */
  visitorTokenTtlMs?: number;
}

const VISITOR_KIND = 'vt1';
const UPLOAD_KIND = 'ut1';
const VISITOR_ID = /^vis_[A-Za-z0-9_-]{16,64}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Turns a `hello` into an identity. With sites configured it first finds the site (URL key or
 * `hello.publicKey`) and checks the browser's origin against it; then a `userToken` (a JWT the
 * site's backend signed) makes a signed-in user, the same on every device, and anything else an
 * anonymous visitor with a server-signed, expiring `visitorToken`. A missing, forged, expired or
 * unreadable visitor token simply gets a new visitor. Knows nothing about sockets.
 */
export class IdentityService {
  #signer: TokenSigner;
  #sites: SiteRegistry | undefined;
  #now: () => number;
  #uploadTtlMs: number;
  #visitorTtlMs: number;

  constructor({ secret, sites, now = Date.now, uploadTokenTtlMs = 60 * 60 * 1000, visitorTokenTtlMs = 180 * DAY_MS }: IdentityServiceOptions) {
    this.#signer = new TokenSigner(secret);
    this.#sites = sites;
    this.#now = now;
    this.#uploadTtlMs = uploadTokenTtlMs;
    this.#visitorTtlMs = visitorTokenTtlMs;
  }

  /**
   * @throws AppError `unauthorized` for a missing or unknown site key, keys that disagree, or a
   * `userToken` that fails verification; `forbidden` for a browser origin the site does not allow.
   */
  async resolve(hello: Pick<Hello, 'publicKey' | 'userToken' | 'visitorToken'>, from: HelloOrigin = {}): Promise<Identity> {
    const preview = this.verifyPreviewTicket(hello.publicKey);
    if (preview) return this.#previewIdentity(preview, hello);
    const site = this.#site(hello.publicKey, from);
    const siteId = site?.id ?? null;
    const visitorId = this.verifyVisitorToken(hello.visitorToken) ?? newId('vis');
    const visitorToken = this.#signer.sign(VISITOR_KIND, { v: visitorId, exp: this.#now() + this.#visitorTtlMs });
    if (hello.userToken !== undefined) {
      if (!site?.userTokenSecret) throw new AppError('unauthorized', 'This site does not accept user tokens.');
      const claims = await verifyUserToken(hello.userToken, site.userTokenSecret, this.#now);
      if (!claims) throw new AppError('unauthorized', 'The user token is invalid or expired.');
      return {
        ownerKey: ownerKey(siteId, 'user', claims.sub),
        siteId,
        user: { id: claims.sub, kind: 'user', ...(claims.name !== undefined ? { name: claims.name } : {}) },
        visitorToken,
      };
    }
    return { ownerKey: ownerKey(siteId, 'visitor', visitorId), siteId, user: { id: visitorId, kind: 'visitor' }, visitorToken };
  }

  /** The site a connection belongs to, or null on an open server. */
  siteOf(identity: Pick<Identity, 'siteId'>): Site | undefined {
    return identity.siteId === null ? undefined : this.#sites?.get(identity.siteId);
  }

  /** @throws AppError `forbidden` when the identity's site (or its preview ticket) may not run `workflowId`. */
  assertWorkflowAllowed(identity: Pick<Identity, 'siteId' | 'previewWorkflow'>, workflowId: string): void {
    if (identity.previewWorkflow !== undefined && identity.previewWorkflow !== workflowId) {
      throw new AppError('forbidden', `This preview may only use the workflow "${identity.previewWorkflow}".`);
    }
    const site = this.siteOf(identity);
    if (site && !site.allowedWorkflows.has(workflowId)) {
      throw new AppError('forbidden', `This site may not use the workflow "${workflowId.slice(0, 64)}".`);
    }
  }

  /** The visitor id inside a genuine, unexpired visitor token; undefined otherwise. */
  verifyVisitorToken(token: unknown): string | undefined {
    const payload = this.#signer.verify(VISITOR_KIND, token);
    const id = payload?.v;
    if (typeof id !== 'string' || !VISITOR_ID.test(id)) return undefined;
    // Tokens issued before expiry existed carry none; they are accepted once and re-issued with one.
    if (payload?.exp !== undefined && !(typeof payload.exp === 'number' && payload.exp > this.#now())) return undefined;
    return id;
  }

  /** A short-lived token that authorises uploads for this identity (`Authorization: Bearer …`). */
  uploadToken(identity: Pick<Identity, 'ownerKey'>): string {
    return this.#signer.sign(UPLOAD_KIND, { sub: identity.ownerKey, exp: this.#now() + this.#uploadTtlMs });
  }

  /** The owner key inside a genuine, unexpired upload token; undefined otherwise. */
  verifyUploadToken(token: unknown): string | undefined {
    const payload = this.#signer.verify(UPLOAD_KIND, token);
    if (!payload || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return undefined;
    return payload.exp > this.#now() ? payload.sub : undefined;
  }

  /**
   * A ticket for the console's preview chat, valid for `PREVIEW_TICKET_TTL_MS`; undefined when
   * it would not fit in `hello.publicKey` (a very long workflow id).
   */
  previewTicket(grant: PreviewGrant): { ticket: string; expiresAt: string } | undefined {
    const exp = this.#now() + PREVIEW_TICKET_TTL_MS;
    const ticket = this.#signer.sign(PREVIEW_KIND, { w: grant.workflow, s: grant.site, b: grant.by, exp });
    return ticket.length > MAX_PREVIEW_TICKET_CHARS ? undefined : { ticket, expiresAt: new Date(exp).toISOString() };
  }

  /** The grant inside a genuine, unexpired preview ticket whose site still exists; undefined otherwise. */
  verifyPreviewTicket(token: unknown): PreviewGrant | undefined {
    const payload = this.#signer.verify(PREVIEW_KIND, token);
    if (!payload || typeof payload.exp !== 'number' || payload.exp <= this.#now()) return undefined;
    const { w: workflow, s: site, b: by } = payload;
    if (typeof workflow !== 'string' || (site !== null && typeof site !== 'string') || (by !== 'operator' && by !== 'admin')) return undefined;
    // A site removed from the sites file since: its tickets die with it.
    if (site !== null && !this.#sites?.get(site)) return undefined;
    return { workflow, site, by };
  }

  #previewIdentity(grant: PreviewGrant, hello: Pick<Hello, 'visitorToken'>): Identity {
    // The widget keeps a visitor token whatever it talks to; it names nobody here.
    const visitorId = this.verifyVisitorToken(hello.visitorToken) ?? newId('vis');
    const visitorToken = this.#signer.sign(VISITOR_KIND, { v: visitorId, exp: this.#now() + this.#visitorTtlMs });
    const owner = ownerKey(grant.site, 'preview', grant.by);
    return { ownerKey: owner, siteId: grant.site, user: { id: `preview:${grant.by}`, kind: 'visitor' }, visitorToken, previewWorkflow: grant.workflow };
  }

  #site(publicKey: string | undefined, { origin, keySite }: HelloOrigin): Site | undefined {
    const sites = this.#sites;
    if (!sites) return undefined; // open mode: any page, no site
    if (keySite && publicKey !== undefined && publicKey !== keySite.publicKey) {
      throw new AppError('unauthorized', 'The publicKey in hello does not match the key in the socket URL.');
    }
    const site = keySite ?? sites.byPublicKey(publicKey);
    if (!site) throw new AppError('unauthorized', publicKey === undefined ? 'A publicKey is required.' : 'Unknown publicKey.');
    if (origin !== undefined && !sites.isOriginAllowed(site, origin)) {
      throw new AppError('forbidden', 'This page is not allowed to use this site key.');
    }
    return site;
  }
}
