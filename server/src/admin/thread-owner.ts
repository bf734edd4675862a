import type { ThreadOwner } from '@agent-chat/shared';

/**
 * A thread's owner key (identity/owner-key.ts) as the console shows it: the site ('' on an open
 * server) and who: a visitor id, a signed-in user's `sub`, or who asked for a console preview.
 */
export function describeOwner(owner: string): { site: string; owner: ThreadOwner } {
  let rest = owner;
  let site = '';
  if (owner.startsWith('site:')) {
    const end = owner.indexOf(':', 5);
    site = owner.slice(5, end);
    rest = owner.slice(end + 1);
  }
  const colon = rest.indexOf(':');
  const prefix = rest.slice(0, colon);
  const kind = prefix === 'user' || prefix === 'preview' ? prefix : 'visitor';
  return { site, owner: { kind, id: rest.slice(colon + 1) } };
}
