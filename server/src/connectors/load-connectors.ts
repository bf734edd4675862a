import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type ConnectorSpec, ConnectorsFile, type HeaderValue } from '@agent-chat/shared';
import { parseJsonText } from '../json-text.ts';
import { branchIssue, formatPath, issueMessage } from '../zod-issues.ts';

/** The connectors file is wrong, or names a variable that is not set; one line per problem, each naming the file and field. */
export class ConnectorsLoadError extends Error {
  /** One line per problem: `file: path: message`. */
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid connectors file:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = new.target.name;
    this.problems = problems;
  }
}

/** A connectors file read and checked, with every problem found. */
export interface ConnectorsFileCheck {
  /** The connectors, once the file parsed and matched the schema (even when the variables it names are unset). */
  connectors?: ConnectorSpec[];
  /** One line per problem, each naming the file and field; empty when all is well. */
  problems: string[];
}

/** Environment variables a connector reads, with the field that names each (`connectors[0].transport.env.TOKEN`). */
function namedVariables(spec: ConnectorSpec, i: number): Array<{ field: string; env: string }> {
  const transport = spec.transport;
  const values: Record<string, HeaderValue> = transport.type === 'stdio' ? transport.env : transport.headers;
  const group = transport.type === 'stdio' ? 'env' : 'headers';
  return Object.entries(values).flatMap(([key, value]) =>
    typeof value === 'string' ? [] : [{ field: formatPath(['connectors', i, 'transport', group, key]), env: value.env }],
  );
}

/**
 * Reads and checks the connectors file at `file`, then that every environment variable it
 * names is set in `env`, collecting every problem instead of stopping at the first. Never
 * throws: `validate` reports the problems, `loadConnectors` refuses to start on them.
 */
export function readConnectorsFile(file: string, env: Record<string, string | undefined> = process.env): ConnectorsFileCheck {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { problems: [`${file}: cannot read the connectors file (${(error as NodeJS.ErrnoException).code ?? String(error)})`] };
  }
  const json = parseJsonText(file, text);
  if (!json.ok) return { problems: [json.problem] };
  const parsed = ConnectorsFile.safeParse(json.value);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map(branchIssue).map((issue) => `${file}: ${formatPath(issue.path) || '(top level)'}: ${issueMessage(issue)}`),
    };
  }
  // A stdio child runs in the file's directory (or a `cwd` relative to it), so a connectors file
  // can name its scripts by relative paths whatever directory the server starts in.
  const base = dirname(resolve(file));
  const connectors = parsed.data.connectors.map((spec) =>
    spec.transport.type === 'stdio' ? { ...spec, transport: { ...spec.transport, cwd: resolve(base, spec.transport.cwd ?? '.') } } : spec,
  );
  const problems = connectors.flatMap((spec, i) =>
    namedVariables(spec, i)
      .filter(({ env: name }) => !env[name])
      .map(({ field, env: name }) => `${file}: ${field}: connector "${spec.id}" names ${name}, which is not set`),
  );
  return { connectors, problems };
}

/** Every problem of the connectors file at `file` (for `agent-chat validate`); empty when it is good. */
export function connectorsProblems(file: string, env: Record<string, string | undefined> = process.env): string[] {
  return readConnectorsFile(file, env).problems;
}

/**
 * Loads the connectors file at `file` for a server: the schema (ids unique, transports
 * complete, limits in range), then every environment variable it names set in `env`.
 * Problems name the file and field: `connectors.json: connectors[1].transport.command: …`.
 *
 * @throws ConnectorsLoadError listing every problem.
 */
export function loadConnectors(file: string, env: Record<string, string | undefined> = process.env): ConnectorSpec[] {
  const { connectors, problems } = readConnectorsFile(file, env);
  if (!connectors || problems.length > 0) throw new ConnectorsLoadError(problems);
  return connectors;
}
