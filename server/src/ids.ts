import { randomBytes } from 'node:crypto';

/** Random bytes are drawn 4 KB at a time: one call per id costs more than the id is worth. */
const POOL_BYTES = 4096;
const ID_BYTES = 16;
let pool = Buffer.alloc(0);
let offset = 0;

/** A new random id with a readable prefix, e.g. `thr_5kq3…` (URL-safe, 128 bits). */
export function newId(prefix: 'thr' | 'itm' | 'run' | 'vis' | 'con' | 'upl' | 'call' | 'evr'): string {
  if (offset + ID_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return `${prefix}_${id}`;
}
