import { jwtVerify } from 'jose';

/** Clock skew allowed on `exp` (and `nbf`/`iat`), in seconds. */
export const USER_TOKEN_CLOCK_SKEW_S = 60;
/** Longest `sub` accepted; it becomes part of an owner key. */
const MAX_SUB_CHARS = 256;

/** What a verified `userToken` says about the user. */
export interface UserClaims {
  sub: string;
  name: string | undefined;
}

/**
 * Verifies a site's `userToken` with jose: HS256 only (so `alg: none` and every other
 * algorithm fail), `exp` and `sub` required, 60 s of clock skew. Returns undefined for any token
 * that does not pass (expired, wrongly signed, malformed); never throws for a bad token.
 */
export async function verifyUserToken(token: string, secret: Uint8Array, now: () => number = Date.now): Promise<UserClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      clockTolerance: USER_TOKEN_CLOCK_SKEW_S,
      requiredClaims: ['exp', 'sub'],
      currentDate: new Date(now()),
    });
    const { sub, name } = payload;
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUB_CHARS) return undefined;
    return { sub, name: typeof name === 'string' ? name.slice(0, 200) : undefined };
  } catch {
    // jose throws a JOSEError subclass for every way a token can be wrong.
    return undefined;
  }
}
