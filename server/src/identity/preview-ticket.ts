/**
 * A console preview ticket: what an admin key was allowed to try, signed by the server. The
 * console's live preview chat presents it as the widget's `public-key`; the socket it opens may
 * then run that one workflow, as that site, under a preview owner (`…preview:<by>`) that the
 * conversation list leaves out unless asked.
 */
export interface PreviewGrant {
  /** The one workflow the preview may open threads on. */
  workflow: string;
  /** The site it runs as; null on an open server, or when the operator previews without one. */
  site: string | null;
  /** Who asked: `operator` (ADMIN_TOKEN) or `admin` (the site's admin key). */
  by: 'operator' | 'admin';
}

/** The ticket's kind tag: signed with it, so no other token of the server passes as a ticket. */
export const PREVIEW_KIND = 'pv1';

/** How long a ticket may open sockets; a socket already open goes on. */
export const PREVIEW_TICKET_TTL_MS = 15 * 60 * 1000;

/** The most a ticket may be: it travels as `hello.publicKey`. */
export const MAX_PREVIEW_TICKET_CHARS = 256;
