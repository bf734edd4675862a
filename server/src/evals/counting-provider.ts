import type { ModelProvider } from '../models/model.ts';

/** A provider that counts the model calls made through it (the `max_turns` grader reads the count). */
export function countingProvider(base: ModelProvider): { provider: ModelProvider; calls: () => number } {
  let calls = 0;
  const provider: ModelProvider = {
    mode: base.mode,
    getModel(name, api) {
      const model = base.getModel(name, api);
      return {
        stream(request, signal) {
          calls += 1;
          return model.stream(request, signal);
        },
      };
    },
    ...(base.moderate ? { moderate: base.moderate.bind(base) } : {}),
  };
  return { provider, calls: () => calls };
}
