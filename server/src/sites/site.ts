import { z } from 'zod';
import { QuotaLimits } from '../quota/quota-limits.ts';

/** An exact web origin: scheme, host and optional port, no path (`https://shop.example.com`). */
const Origin = z
  .string()
  .regex(/^https?:\/\/[^/\s?#]+$/i, 'must be an exact origin such as https://shop.example.com (no path, no trailing slash)');

/** Names an environment variable; secrets never sit in the sites file itself. */
const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be the name of an environment variable, e.g. SHOP_USER_TOKEN_SECRET');

/** One site that embeds the widget, as written in the sites file (`SITES_FILE`). */
export const SiteSpec = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lowercase letters, digits, _ or - (at most 64)'),
  /** Sent by the widget (`public-key` attribute); not a secret. */
  publicKey: z.string().min(8).max(256),
  allowedOrigins: z.array(Origin).min(1),
  /** Workflow ids this site may use. */
  allowedWorkflows: z.array(z.string().min(1)).min(1),
  /** Environment variable holding the HS256 secret that signs this site's `userToken`s. */
  userTokenSecretEnv: EnvName.optional(),
  /** Environment variable holding the key the site's backend uses on `/v1/admin/*`. */
  adminKeyEnv: EnvName.optional(),
  /** Per-site overrides of the quota defaults. */
  limits: QuotaLimits.partial().optional(),
});
export type SiteSpec = z.infer<typeof SiteSpec>;

/** The sites file: `{ "sites": [ … ] }`. */
export const SitesFile = z.strictObject({ sites: z.array(SiteSpec).min(1) });
export type SitesFile = z.infer<typeof SitesFile>;
