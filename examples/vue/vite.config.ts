import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    vue({
      // <agent-chat> is a custom element, not a Vue component: render it as is.
      template: { compilerOptions: { isCustomElement: (tag) => tag === 'agent-chat' } },
    }),
  ],
});
