import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Node-side tests only; the widget's browser tests run in Chromium through @web/test-runner.
export default defineConfig({
  // Workspace packages from their TypeScript sources (their `agent-chat-source` export), not dist/.
  resolve: { conditions: ['agent-chat-source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['agent-chat-source', ...defaultServerConditions] } },
  test: {
    include: ['shared/test/**/*.test.ts', 'bench/**/*.test.ts', 'server/test/**/*.test.ts', 'server/src/**/*.test.ts', 'demo/e2e/**/*.test.ts', 'scripts/test/**/*.test.ts', 'examples/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
