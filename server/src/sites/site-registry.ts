import type { SiteSpec } from './site.ts';

/** A site ready for use: its spec, with the secrets its spec names read from the environment. */
export interface Site {
  readonly id: string;
  readonly publicKey: string;
  /** Normalised exact origins (`new URL(o).origin`), compared as strings. */
  readonly allowedOrigins: ReadonlySet<string>;
  readonly allowedWorkflows: ReadonlySet<string>;
  /** The HS256 key for this site's `userToken`s; undefined refuses every user token. */
  readonly userTokenSecret: Uint8Array | undefined;
  /** The bearer key of the site's backend on `/v1/admin/*`; undefined turns that API off. */
  readonly adminKey: string | undefined;
  /** The site's spec as written (limit overrides included). */
  readonly spec: SiteSpec;
}

/** The sites one server serves, looked up by id, public key and origin. */
export class SiteRegistry {
  #byId = new Map<string, Site>();
  #byKey = new Map<string, Site>();

  constructor(sites: Iterable<Site>) {
    for (const site of sites) {
      this.#byId.set(site.id, site);
      this.#byKey.set(site.publicKey, site);
    }
  }

  /** Every site, in file order. */
  get all(): Site[] {
    return [...this.#byId.values()];
  }

  /** The site with this id (an identity's `siteId`). */
  get(id: string): Site | undefined {
    return this.#byId.get(id);
  }

  /** The site a `publicKey` (socket URL `?key=` or `hello.publicKey`) names. */
  byPublicKey(key: string | undefined): Site | undefined {
    return key === undefined ? undefined : this.#byKey.get(key);
  }

  /** Whether a browser on `origin` may use `site`. */
  isOriginAllowed(site: Site, origin: string): boolean {
    return site.allowedOrigins.has(normalizeOrigin(origin) ?? '');
  }

  /** Whether any site allows `origin` (requests that do not name a site yet). */
  isKnownOrigin(origin: string): boolean {
    const normalized = normalizeOrigin(origin);
    return normalized !== undefined && this.all.some((site) => site.allowedOrigins.has(normalized));
  }
}

/**
 * `https://Shop.example.com:443` and `https://shop.example.com` are the same origin; browsers
 * send the second form. Undefined for anything that is not an http(s) origin (`null` included).
 */
export function normalizeOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
