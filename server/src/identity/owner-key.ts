/**
 * Threads are owned by a key that names who may see them. It is built by the server, never
 * taken from a client:
 * - open mode (no sites file): `visitor:<visitorId>`
 * - a site's anonymous visitor: `site:<siteId>:visitor:<visitorId>`
 * - a site's signed-in user: `site:<siteId>:user:<sub>` (the same on every device)
 * - the console's preview chat: `site:<siteId>:preview:<by>` (`preview:<by>` without a site)
 */
export type OwnerKind = 'visitor' | 'user' | 'preview';

/** The owner key of a visitor or user, on a site or (siteId null) on an open server. */
export function ownerKey(siteId: string | null, kind: OwnerKind, id: string): string {
  if (siteId === null) return `${kind}:${id}`;
  return `site:${siteId}:${kind}:${id}`;
}

/** The site an owner key belongs to; null for an open-mode owner. */
export function siteOfOwner(owner: string): string | null {
  if (!owner.startsWith('site:')) return null;
  const end = owner.indexOf(':', 5);
  return end > 5 ? owner.slice(5, end) : null;
}
