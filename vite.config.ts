import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('./web/', import.meta.url));

/**
 * Prints, for each app, the JavaScript its page loads at start (the entry and what it imports
 * statically) and what it loads on demand, gzipped — whatever the log level, so `npm start` and
 * `npm test` show them too. The holder's code page must stay under 200 KB (its e2e test checks).
 */
function bundleSizes(): Plugin {
  return {
    name: 'healthcode-bundle-sizes',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])));
      const gz = (f: string) => gzipSync(chunks.get(f)!.code).length;
      const closure = (start: string[], follow: (f: string) => string[]) => {
        const seen = new Set<string>();
        const todo = [...start];
        while (todo.length) {
          const f = todo.pop()!;
          if (seen.has(f) || !chunks.has(f)) continue;
          seen.add(f);
          todo.push(...follow(f));
        }
        return seen;
      };
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      const lines = [...chunks.values()]
        .filter((c) => c.isEntry)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((entry) => {
          const initial = closure([entry.fileName], (f) => chunks.get(f)!.imports);
          const all = closure([entry.fileName], (f) => [...chunks.get(f)!.imports, ...chunks.get(f)!.dynamicImports]);
          const sum = (set: Set<string>) => [...set].reduce((n, f) => n + gz(f), 0);
          const lazy = new Set([...all].filter((f) => !initial.has(f)));
          return `  ${entry.name.padEnd(13)} ${kb(sum(initial)).padStart(9)} at start, ${kb(sum(lazy)).padStart(9)} on demand`;
        });
      console.log(`JavaScript per app (gzipped):\n${lines.join('\n')}`);
    },
  };
}

// Multi-page web app: the holder app at `/` and the checkpoint scanner at `/scanner/`.
// Built into dist/web, which the server serves statically (the API lives under /api).
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), bundleSizes()],
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
