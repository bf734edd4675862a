import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import { minifyLitTemplatesPlugin } from './scripts/vite/minify-lit-templates.ts';
import { shakeMarked } from './scripts/vite/shake-marked.ts';

/*
 * Builds the widget into ONE self-contained ES module, widget/dist/widget.js (Lit inside, no
 * chunks, no external imports), which the server serves as GET /widget.js. The widget imports
 * only types from @agent-chat/shared, so zod never reaches the bundle.
 */
export default defineConfig({
  // Workspace packages from their TypeScript sources (their `agent-chat-source` export), not dist/.
  resolve: { conditions: ['agent-chat-source', ...defaultClientConditions] },
  // The widget uses marked's lexer only: let the rest of marked fall away. Lit's css``/html``
  // literals are minified (the JavaScript minifier leaves template text alone).
  plugins: [shakeMarked(), minifyLitTemplatesPlugin()],
  build: {
    lib: {
      entry: fileURLToPath(new URL('./widget/src/index.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'widget.js',
    },
    outDir: fileURLToPath(new URL('./widget/dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    reportCompressedSize: true,
    rolldownOptions: {
      // Vite keeps whitespace in ES library builds (for downstream bundlers); widget.js goes
      // straight to browsers, so minify it fully.
      output: { codeSplitting: false, minify: true },
    },
  },
});
