import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root (server/src/config.ts → ../../): where widget/dist and demo/ live. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Limits announced to clients in `ready` and enforced by the transport. */
export interface MessageLimits {
  maxMessageChars: number;
  maxFileBytes: number;
  maxFilesPerMessage: number;
  acceptedTypes: string[];
}

/** The server's whole configuration, read from the environment once at start-up. */
export interface Config {
  /** TCP port (0 picks a free one). */
  port: number;
  /**
   * Interface to bind. Defaults to 127.0.0.1: the demo is for the local machine; a container or
   * a server behind a proxy sets HOST=0.0.0.0 on purpose.
   */
  host: string;
  /** Absolute directory holding agent-chat.db. */
  dataDir: string;
  /** Absolute directory of workflow JSON files. */
  workflowsDir: string;
  openaiApiKey: string | undefined;
  openaiBaseUrl: string | undefined;
  /** Pause between offline-model tokens, in ms. */
  offlineModelDelayMs: number;
  /** HMAC secret for visitor and upload tokens; when unset one is generated and kept in the database. */
  secret: string | undefined;
  limits: MessageLimits;
  /** Where the widget bundle and the demo page are read from. */
  rootDir: string;
}

/** A configuration problem; the message names every bad variable, one per line. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = new.target.name;
    this.problems = problems;
  }
}

/** Empty strings count as unset, so `PORT= npm start` behaves like no PORT at all. */
const optionalString = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().optional());

function intVar(min: number, max: number, fallback: number) {
  const message = `must be an integer between ${min} and ${max}`;
  return z.preprocess(
    (v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? undefined : v),
    z
      .string()
      .regex(/^\s*\d+\s*$/, message)
      .transform((s) => Number(s.trim()))
      .pipe(z.number().int().min(min, message).max(max, message))
      .optional()
      .transform((n) => n ?? fallback),
  );
}

const Env = z.object({
  PORT: intVar(0, 65535, 8787),
  HOST: optionalString.pipe(z.string().min(1).default('127.0.0.1')),
  DATA_DIR: optionalString.pipe(z.string().default('./data')),
  WORKFLOWS_DIR: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^\s]+$/i, 'must be an http(s) URL, e.g. http://localhost:11434/v1')
      .optional(),
  ),
  OFFLINE_MODEL_DELAY_MS: intVar(0, 10_000, 25),
  SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  MAX_MESSAGE_CHARS: intVar(1, 100_000, 8000),
});

/**
 * Reads the configuration from `env`. Relative paths resolve against `cwd`; WORKFLOWS_DIR
 * defaults to the demo's workflows in this repository.
 *
 * @throws ConfigError naming each bad variable, e.g. `PORT: must be an integer between 0 and 65535`.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd: string = process.cwd()): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${String(i.path[0] ?? '(env)')}: ${i.message}`);
    throw new ConfigError([...new Set(problems)]);
  }
  const e = parsed.data;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: abs(e.DATA_DIR),
    workflowsDir: e.WORKFLOWS_DIR ? abs(e.WORKFLOWS_DIR) : resolve(REPO_ROOT, 'demo/workflows'),
    openaiApiKey: e.OPENAI_API_KEY,
    openaiBaseUrl: e.OPENAI_BASE_URL,
    offlineModelDelayMs: e.OFFLINE_MODEL_DELAY_MS,
    secret: e.SECRET,
    limits: {
      maxMessageChars: e.MAX_MESSAGE_CHARS,
      // Uploads land in a later issue; until then a message carries no files.
      maxFileBytes: 10 * 1024 * 1024,
      maxFilesPerMessage: 0,
      acceptedTypes: [],
    },
    rootDir: REPO_ROOT,
  };
}

/** How the models are reached, for the start-up line and /health. */
export function describeModelMode(config: Pick<Config, 'openaiApiKey' | 'openaiBaseUrl'>): string {
  if (config.openaiBaseUrl) return `OpenAI-compatible server at ${config.openaiBaseUrl}`;
  if (config.openaiApiKey) return 'OpenAI';
  return 'offline model (no OPENAI_API_KEY)';
}
