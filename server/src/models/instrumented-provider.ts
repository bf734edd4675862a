import type { ModelApi } from '@agent-chat/shared';
import { AppError, UpstreamError } from '../errors.ts';
import type { Metrics, ModelOutcome } from '../observability/metrics.ts';
import type { Model, ModelEvent, ModelProvider, ModelRequest } from './model.ts';

/**
 * The same provider, with every model request measured: its latency, its time to first token,
 * and its outcome, which is also the endpoint's last check (`/ready`). Runs and guardrails that
 * ask a model both go through it.
 */
export function instrumentModels(provider: ModelProvider, metrics: Metrics): ModelProvider {
  const models = new Map<string, Model>();
  const instrumented: ModelProvider = {
    mode: provider.mode,
    getModel(name: string, api: ModelApi): Model {
      const key = `${api}\u0000${name}`;
      let model = models.get(key);
      if (!model) {
        const inner = provider.getModel(name, api);
        model = { stream: (request, signal) => measured(inner, request, signal, metrics, { mode: provider.mode, api }) };
        models.set(key, model);
      }
      return model;
    },
  };
  const moderate = provider.moderate?.bind(provider);
  if (moderate) {
    instrumented.moderate = async (text, model, signal) => {
      const started = performance.now();
      let outcome: ModelOutcome = 'ok';
      let httpStatus: number | undefined;
      try {
        return await moderate(text, model, signal);
      } catch (error) {
        ({ outcome, httpStatus } = outcomeOf(error, signal));
        throw error;
      } finally {
        const seconds = (performance.now() - started) / 1000;
        metrics.modelRequest({ model: model || 'moderation', endpoint: { mode: provider.mode, api: 'moderation' }, outcome, seconds, ...(httpStatus !== undefined ? { httpStatus } : {}) });
      }
    };
  }
  return instrumented;
}

async function* measured(
  inner: Model,
  request: ModelRequest,
  signal: AbortSignal,
  metrics: Metrics,
  endpoint: { mode: string; api: string },
): AsyncGenerator<ModelEvent> {
  const started = performance.now();
  let firstTokenSeconds: number | undefined;
  let outcome: ModelOutcome = 'aborted';
  let httpStatus: number | undefined;
  try {
    for await (const event of inner.stream(request, signal)) {
      if (firstTokenSeconds === undefined && event.type !== 'completed') firstTokenSeconds = (performance.now() - started) / 1000;
      yield event;
    }
    outcome = signal.aborted ? 'aborted' : 'ok';
  } catch (error) {
    ({ outcome, httpStatus } = outcomeOf(error, signal));
    throw error;
  } finally {
    // Also reached when the caller stops reading early (a cancel): the outcome stays `aborted`.
    const seconds = (performance.now() - started) / 1000;
    metrics.modelRequest({
      model: request.model,
      endpoint,
      outcome,
      seconds,
      ...(firstTokenSeconds !== undefined ? { firstTokenSeconds } : {}),
      ...(httpStatus !== undefined ? { httpStatus } : {}),
    });
  }
}

/** The outcome label of a failed request: aborted, or its error code (and the provider's status). */
function outcomeOf(error: unknown, signal: AbortSignal): { outcome: ModelOutcome; httpStatus?: number } {
  if (signal.aborted || (error instanceof Error && error.name === 'AbortError')) return { outcome: 'aborted' };
  if (error instanceof UpstreamError) return error.status !== undefined ? { outcome: error.code, httpStatus: error.status } : { outcome: error.code };
  if (error instanceof AppError) return { outcome: error.code };
  return { outcome: 'internal' };
}
