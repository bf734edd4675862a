import type { ConnectorSpec, Workflow } from '@agent-chat/shared';
import { readConnectorsFile } from '../connectors/load-connectors.ts';
import { type LoadedSites, readSitesFile, unknownWorkflows } from '../sites/load-sites.ts';
import type { WorkflowRegistries } from './check-workflow.ts';
import { readWorkflowFiles } from './load-workflows.ts';

/** What to check: the files a server would load at start-up. */
export interface ValidateConfigurationOptions {
  /** The workflows directory (`WORKFLOWS_DIR`). */
  workflowsDir: string;
  /** How problems name the workflows directory (a path relative to where the operator is); default: the file names alone. */
  workflowsDisplayDir?: string;
  /** The sites file (`SITES_FILE`), if any; problems name it as given. */
  sitesFile?: string | undefined;
  /** The connectors file (`CONNECTORS_FILE`), if any; problems name it as given. */
  connectorsFile?: string | undefined;
  /** Where the secrets the sites and connectors files name are read from. */
  env: Record<string, string | undefined>;
  /** The tools and custom guardrails workflows may name. */
  registries: WorkflowRegistries;
  /**
   * Whether `registries` hold every tool and guardrail the server will have. When false (the
   * code that adds a site's own tools was not loaded), a name that does not resolve is a
   * warning, not an error: the server may well have it.
   */
  codeNamesKnown: boolean;
}

/** Everything wrong with a configuration, found in one pass. */
export interface ConfigurationReport {
  /** The workflows the schema accepted, by id. */
  workflows: ReadonlyMap<string, Workflow>;
  /** The sites, when there is a sites file and it parsed. */
  sites: LoadedSites | undefined;
  /** The connectors, when there is a connectors file and it parsed. */
  connectors: ConnectorSpec[] | undefined;
  /** Problems that would stop the server, one line each, naming the file and field (or line and column). */
  errors: string[];
  /** Tool and guardrail names no registry given provides (only when `codeNamesKnown` is false). */
  warnings: string[];
}

/**
 * Checks the workflow files, the sites and connectors files and the references between them
 * (sites naming unknown workflows, agents naming unknown connectors or blocked tools) with the same readers the server loads them with, and collects every
 * problem instead of stopping at the first bad file.
 */
export function validateConfiguration({
  workflowsDir,
  workflowsDisplayDir,
  sitesFile,
  connectorsFile,
  env,
  registries,
  codeNamesKnown,
}: ValidateConfigurationOptions): ConfigurationReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  let connectors: ConnectorSpec[] | undefined;
  if (connectorsFile) {
    const checked = readConnectorsFile(connectorsFile, env);
    connectors = checked.connectors;
    errors.push(...checked.problems);
  }
  // Workflows name connectors: check those names against the file (none: every name is unknown).
  const withConnectors = { ...registries, connectors: new Map((connectors ?? []).map((spec) => [spec.id, spec])) };
  const files = readWorkflowFiles(workflowsDir, withConnectors, workflowsDisplayDir ? { displayDir: workflowsDisplayDir } : {});
  // A connector is named by the connectors file, never by code: one that is not there is an error.
  for (const problem of files.problems) (problem.unresolved && problem.unresolved !== 'connector' && !codeNamesKnown ? warnings : errors).push(problem.line);

  let sites: LoadedSites | undefined;
  if (sitesFile) {
    const checked = readSitesFile(sitesFile, env);
    sites = checked.sites;
    errors.push(...checked.problems);
    // A workflow whose file has problems still counts as present here: its own lines say what
    // is wrong, and "unknown workflow" would only repeat them.
    if (sites) errors.push(...unknownWorkflows(sitesFile, sites.registry, files.workflows));
  }
  return { workflows: files.workflows, sites, connectors, errors, warnings };
}
