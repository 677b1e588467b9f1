import { defineConfig } from 'vite';

// `vite build web` (npm run build:web) writes web/dist, which the Nest service serves at `/`.
// JSX is compiled by Vite's own transformer (React's automatic runtime): no plugin needed.
export default defineConfig({
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' } },
});
