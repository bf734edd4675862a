// Defines <agent-chat> and types it for Vue templates; import it before the app mounts, so Vue
// sets `open`, `starters`… as properties of the element.
import '@agent-chat/widget/vue';
import { createApp } from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
