import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';

/** Origins and keys of the two sites most tests use. */
export const SHOP = {
  id: 'shop',
  publicKey: 'pk_shop_0123456789',
  origin: 'https://shop.example',
  secret: 'shop-user-token-secret-0123456789abcdef',
  adminKey: 'shop-admin-key-0123456789abcdefghijkl',
} as const;
export const BLOG = {
  id: 'blog',
  publicKey: 'pk_blog_0123456789',
  origin: 'https://blog.example',
  secret: 'blog-user-token-secret-0123456789abcdef',
  adminKey: 'blog-admin-key-0123456789abcdefghijkl',
} as const;

/** The env holding both sites' secrets, as named by `twoSites()`. */
export const SITE_SECRETS: Record<string, string> = {
  SHOP_USER_SECRET: SHOP.secret,
  SHOP_ADMIN_KEY: SHOP.adminKey,
  BLOG_USER_SECRET: BLOG.secret,
  BLOG_ADMIN_KEY: BLOG.adminKey,
};

/** A sites file with `shop` (support only) and `blog` (support and weather). */
export function twoSites(): { sites: unknown[] } {
  return {
    sites: [
      {
        id: SHOP.id,
        publicKey: SHOP.publicKey,
        allowedOrigins: [SHOP.origin, 'http://localhost:3000'],
        allowedWorkflows: ['support'],
        userTokenSecretEnv: 'SHOP_USER_SECRET',
        adminKeyEnv: 'SHOP_ADMIN_KEY',
      },
      {
        id: BLOG.id,
        publicKey: BLOG.publicKey,
        allowedOrigins: [BLOG.origin],
        allowedWorkflows: ['support', 'weather'],
        userTokenSecretEnv: 'BLOG_USER_SECRET',
        adminKeyEnv: 'BLOG_ADMIN_KEY',
      },
    ],
  };
}

/** Writes `content` (JSON-encoded unless a string) as `<dir>/sites.json`; returns its path. */
export function writeSitesFile(dir: string, content: unknown = twoSites()): string {
  const file = join(dir, 'sites.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** Env for `boot()` that serves `twoSites()` with their secrets. */
export function sitesEnv(dir: string): Record<string, string> {
  return { SITES_FILE: writeSitesFile(dir), ...SITE_SECRETS };
}

/** A user token as a site's backend mints it (HS256), valid for `ttlS` seconds from `nowS`. */
export function mintUserToken(secret: string, sub: string, { name, ttlS = 600, nowS = Math.floor(Date.now() / 1000) }: { name?: string; ttlS?: number; nowS?: number } = {}): Promise<string> {
  return new SignJWT(name ? { name } : {})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + ttlS)
    .sign(new TextEncoder().encode(secret));
}
