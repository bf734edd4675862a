import type { Model, ModelProvider, ModelRequest } from '../../src/models/model.ts';
import { createModelProvider } from '../../src/models/openai-provider.ts';

/**
 * The offline provider (the real `openai` client against the offline model), wrapped only to
 * record every request that reaches a model, so a test can see what a model was told.
 */
export function recordingProvider(): { provider: ModelProvider; requests: ModelRequest[] } {
  const real = createModelProvider({});
  const requests: ModelRequest[] = [];
  const provider: ModelProvider = {
    mode: real.mode,
    getModel(name, api): Model {
      const model = real.getModel(name, api);
      return {
        stream(request, signal) {
          requests.push(structuredClone(request));
          return model.stream(request, signal);
        },
      };
    },
  };
  return { provider, requests };
}
