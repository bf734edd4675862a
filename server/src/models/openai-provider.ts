import OpenAI from 'openai';
import type { ModelApi } from '@agent-chat/shared';
import { abortError } from './call-guard.ts';
import type { Model, ModelProvider, ModerationResult } from './model.ts';
import { createOfflineFetch } from './offline/offline-fetch.ts';
import { OpenAIChatModel } from './openai-chat-model.ts';
import { OpenAIResponsesModel } from './openai-responses-model.ts';
import { toUpstreamError } from './upstream-error.ts';

/** Where models come from. Empty strings count as absent (unset environment variables). */
export interface ModelProviderOptions {
  /** OpenAI API key. Alone: mode `openai`. */
  apiKey?: string | undefined;
  /** Any OpenAI-compatible server, e.g. `http://localhost:11434/v1`. Mode `base_url` (the key is optional). */
  baseURL?: string | undefined;
  /** Offline mode only: pause between streamed text deltas, in ms (0 = none). Default 0. */
  offlineDelayMs?: number | undefined;
  /** Offline mode only: the clock the model reads "today" from (tests fix it). Default: the system clock. */
  offlineNow?: (() => Date) | undefined;
  /** A `fetch` for the client in `openai` / `base_url` mode (tests). Offline mode always uses the offline model. */
  fetch?: typeof fetch | undefined;
  /** Retries on 408/409/429/5xx and connection errors, with the SDK's backoff (honours `retry-after[-ms]`). Default 2. */
  maxRetries?: number | undefined;
  /** Time to wait for response headers, and the longest silence allowed inside a stream, in ms. Default 90 000. */
  timeoutMs?: number | undefined;
}

const OFFLINE_BASE_URL = 'http://offline.local/v1';
const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const DEFAULT_MODERATION_MODEL = 'omni-moderation-latest';

/**
 * Builds the one `openai` client of the process and hands out models over it.
 * No key and no base URL: every model is the offline model, reached through the same client
 * (its `fetch` answers in the OpenAI wire format), so one code path runs online and offline.
 */
export function createModelProvider(options: ModelProviderOptions = {}): ModelProvider {
  const apiKey = options.apiKey || undefined;
  const baseURL = options.baseURL || undefined;
  const { offlineDelayMs = 0, maxRetries = 2, timeoutMs = 90_000 } = options;
  const mode: ModelProvider['mode'] = baseURL ? 'base_url' : apiKey ? 'openai' : 'offline';

  // Every field is passed explicitly so that OPENAI_* environment variables never leak in.
  const client = new OpenAI({
    apiKey: mode === 'offline' ? 'offline' : (apiKey ?? 'not-needed'),
    baseURL: mode === 'offline' ? OFFLINE_BASE_URL : (baseURL ?? OPENAI_BASE_URL),
    organization: null,
    project: null,
    maxRetries,
    timeout: timeoutMs,
    ...(mode === 'offline'
      ? { fetch: createOfflineFetch({ delayMs: offlineDelayMs, now: options.offlineNow }) }
      : options.fetch
        ? { fetch: options.fetch }
        : {}),
  });

  const adapterOptions = { idleTimeoutMs: timeoutMs };
  const models = new Map<string, Model>();
  const provider: ModelProvider = {
    mode,
    getModel(name: string, api: ModelApi): Model {
      const key = `${api}\u0000${name}`;
      let model = models.get(key);
      if (!model) {
        model =
          api === 'chat'
            ? new OpenAIChatModel(client, name, adapterOptions)
            : new OpenAIResponsesModel(client, name, adapterOptions);
        models.set(key, model);
      }
      return model;
    },
  };
  if (mode === 'openai') {
    provider.moderate = (text, model, signal) => moderate(client, text, model, signal);
  }
  return provider;
}

/** OpenAI's moderation endpoint: flagged, and the names of the categories that were. */
async function moderate(client: OpenAI, text: string, model: string, signal: AbortSignal): Promise<ModerationResult> {
  try {
    const response = await client.moderations.create({ model: model || DEFAULT_MODERATION_MODEL, input: text }, { signal });
    const result = response.results[0];
    if (!result) return { flagged: false, categories: [] };
    const categories = Object.entries(result.categories ?? {})
      .filter(([, flagged]) => flagged === true)
      .map(([category]) => category);
    return { flagged: result.flagged, categories };
  } catch (error) {
    if (signal.aborted) throw abortError();
    throw toUpstreamError(error);
  }
}
