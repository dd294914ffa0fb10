import { createApp } from 'vue';
import App from './App.vue';

// Vue is told in its compiler options (esbuild's plugin or Vite's) that jivo-* tags are custom elements.
createApp(App).mount('#app');
