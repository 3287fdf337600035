import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('./web/', import.meta.url));

// Multi-page web app: the holder app at `/` and the checkpoint scanner at `/scanner/`.
// Built into dist/web, which the server serves statically (the API lives under /api).
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      input: {
        holder: fileURLToPath(new URL('./web/index.html', import.meta.url)),
        scanner: fileURLToPath(new URL('./web/scanner/index.html', import.meta.url)),
        venue: fileURLToPath(new URL('./web/venue/index.html', import.meta.url)),
        transparency: fileURLToPath(new URL('./web/transparency/index.html', import.meta.url)),
        console: fileURLToPath(new URL('./web/console/index.html', import.meta.url)),
      },
    },
  },
  server: {
    // `npx vite` for UI work: forward the API to a locally running server.
    proxy: { '/api': process.env.HC_API_URL ?? 'http://127.0.0.1:8080' },
  },
});
