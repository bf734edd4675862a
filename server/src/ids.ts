import { randomBytes } from 'node:crypto';

/** A new random id with a readable prefix, e.g. `thr_5kq3…` (URL-safe, 128 bits). */
export function newId(prefix: 'thr' | 'itm' | 'run' | 'vis' | 'con' | 'upl' | 'call'): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}
