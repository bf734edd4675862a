import type { Workflow } from '@agent-chat/shared';
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
  /** Where the secrets the sites file names are read from. */
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
  /** Problems that would stop the server, one line each, naming the file and field (or line and column). */
  errors: string[];
  /** Tool and guardrail names no registry given provides (only when `codeNamesKnown` is false). */
  warnings: string[];
}

/**
 * Checks the workflow files, the sites file and the references between them (sites naming
 * unknown workflows) with the same readers the server loads them with, and collects every
 * problem instead of stopping at the first bad file.
 */
export function validateConfiguration({
  workflowsDir,
  workflowsDisplayDir,
  sitesFile,
  env,
  registries,
  codeNamesKnown,
}: ValidateConfigurationOptions): ConfigurationReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  const files = readWorkflowFiles(workflowsDir, registries, workflowsDisplayDir ? { displayDir: workflowsDisplayDir } : {});
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
  return { workflows: files.workflows, sites, errors, warnings };
}
