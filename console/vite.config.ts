import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import { minifyLitTemplatesPlugin } from '../scripts/vite/minify-lit-templates.ts';
import { shakeMarked } from '../scripts/vite/shake-marked.ts';

/*
 * Builds the admin console into ONE self-contained ES module, console/dist/console.js (Lit, the
 * widget's markdown renderer, dagre and the shared zod schemas inside), which the server serves
 * at /console/console.js.
 */
export default defineConfig({
  resolve: { conditions: ['agent-chat-source', ...defaultClientConditions] },
  plugins: [shakeMarked(), minifyLitTemplatesPlugin()],
  build: {
    lib: {
      entry: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'console.js',
    },
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    reportCompressedSize: true,
    rolldownOptions: { output: { codeSplitting: false, minify: true } },
  },
});
