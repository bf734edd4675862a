import { createHash, timingSafeEqual } from 'node:crypto';

/** The token of an `Authorization: Bearer <token>` header; undefined for anything else. */
export function bearerOf(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}

/** A token's SHA-256, what `sameToken` compares (digests have one length whatever was sent). */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Whether `given` is the token whose digest is `expected`, compared in constant time. */
export function sameToken(expected: Buffer, given: string | undefined): boolean {
  return given !== undefined && timingSafeEqual(expected, tokenDigest(given));
}
