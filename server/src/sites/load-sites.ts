import { readFileSync } from 'node:fs';
import { parseJsonText } from '../json-text.ts';
import { formatPath, issueMessage } from '../zod-issues.ts';
import { SitesFile } from './site.ts';
import { type Site, SiteRegistry, normalizeOrigin } from './site-registry.ts';

/** Shortest secret accepted for a site's user-token secret or admin key. */
export const MIN_SECRET_CHARS = 32;

/** The sites file or a secret it names is wrong; one line per problem, each naming the file and field. */
export class SitesLoadError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid sites file:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = new.target.name;
    this.problems = problems;
  }
}

/** A loaded sites file, with what the start-up line should mention. */
export interface LoadedSites {
  registry: SiteRegistry;
  /** Sites whose `adminKeyEnv` is unset or missing: their admin API answers 401. */
  adminOff: Array<{ siteId: string; env: string | undefined }>;
}

/** A sites file read and checked, with every problem found. */
export interface SitesFileCheck {
  /** The sites, once the file parsed and matched the schema (even when later checks found problems). */
  sites?: LoadedSites;
  /** One line per problem, each naming the file and field; empty when all is well. */
  problems: string[];
}

/**
 * Reads and checks the sites file at `file`, then the secrets it names in `env`, collecting
 * every problem instead of stopping at the first (see `loadSites` for what is checked).
 */
export function readSitesFile(file: string, env: Record<string, string | undefined> = process.env): SitesFileCheck {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { problems: [`${file}: cannot read the sites file (${(error as NodeJS.ErrnoException).code ?? String(error)})`] };
  }
  const json = parseJsonText(file, text);
  if (!json.ok) return { problems: [json.problem] };
  const raw = json.value;
  const parsed = SitesFile.safeParse(raw);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => `${file}: ${formatPath(issue.path) || '(top level)'}: ${issueMessage(issue)}`) };
  }

  const problems: string[] = [];
  const ids = new Set<string>();
  const keys = new Set<string>();
  // The admin key alone says which site is calling, so two sites may not share one.
  const adminKeys = new Set<string>();
  const sites: Site[] = [];
  const adminOff: LoadedSites['adminOff'] = [];
  parsed.data.sites.forEach((spec, i) => {
    const at = (field: string) => `${file}: sites[${i}].${field}`;
    if (ids.has(spec.id)) problems.push(`${at('id')}: duplicate site id "${spec.id}"`);
    if (keys.has(spec.publicKey)) problems.push(`${at('publicKey')}: the same publicKey is used by another site`);
    ids.add(spec.id);
    keys.add(spec.publicKey);

    let userTokenSecret: Uint8Array | undefined;
    if (spec.userTokenSecretEnv) {
      const value = env[spec.userTokenSecretEnv];
      if (!value) problems.push(`${at('userTokenSecretEnv')}: site "${spec.id}" names ${spec.userTokenSecretEnv}, which is not set`);
      else if (value.length < MIN_SECRET_CHARS) problems.push(`${at('userTokenSecretEnv')}: ${spec.userTokenSecretEnv} must be at least ${MIN_SECRET_CHARS} characters`);
      else userTokenSecret = new TextEncoder().encode(value);
    }
    let adminKey: string | undefined;
    const adminValue = spec.adminKeyEnv ? env[spec.adminKeyEnv] : undefined;
    if (spec.adminKeyEnv && adminValue && adminValue.length < MIN_SECRET_CHARS) {
      problems.push(`${at('adminKeyEnv')}: ${spec.adminKeyEnv} must be at least ${MIN_SECRET_CHARS} characters`);
    } else if (adminValue && adminKeys.has(adminValue)) {
      problems.push(`${at('adminKeyEnv')}: ${spec.adminKeyEnv} holds the same key as another site's`);
    } else if (adminValue) {
      adminKey = adminValue;
      adminKeys.add(adminValue);
    } else adminOff.push({ siteId: spec.id, env: spec.adminKeyEnv });

    sites.push({
      id: spec.id,
      publicKey: spec.publicKey,
      allowedOrigins: new Set(spec.allowedOrigins.map((o) => normalizeOrigin(o) ?? o)),
      allowedWorkflows: new Set(spec.allowedWorkflows),
      userTokenSecret,
      adminKey,
      spec,
    });
  });
  return { sites: { registry: new SiteRegistry(sites), adminOff }, problems };
}

/**
 * Reads and validates the sites file at `file`, then reads the secrets it names from `env`.
 * Problems name the file and field: `sites.json: sites[0].allowedOrigins[1]: must be an exact
 * origin…`. Duplicate ids or public keys, and a `userTokenSecretEnv` that is unset or shorter
 * than 32 characters, and two sites with the same admin key, are problems too. An unset `adminKeyEnv` only turns that site's admin API off.
 *
 * @throws SitesLoadError listing every problem.
 */
export function loadSites(file: string, env: Record<string, string | undefined> = process.env): LoadedSites {
  const { sites, problems } = readSitesFile(file, env);
  if (!sites || problems.length > 0) throw new SitesLoadError(problems);
  return sites;
}

/** Workflows a site names that the server does not have: a start-up problem, named by file and field. */
export function unknownWorkflows(file: string, registry: SiteRegistry, workflows: ReadonlySet<string> | ReadonlyMap<string, unknown>): string[] {
  return registry.all.flatMap((site, i) =>
    site.spec.allowedWorkflows.flatMap((w, j) => (workflows.has(w) ? [] : [`${file}: sites[${i}].allowedWorkflows[${j}]: unknown workflow "${w}"`])),
  );
}
