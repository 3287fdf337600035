// The checkpoint scanner's service worker: keeps the scanner shell (page, scripts, styles, icons)
// so the scanner opens and verifies codes offline. The API is never cached: scans are queued in
// IndexedDB by the page and synced when the connection returns.
const CACHE = 'hc-scanner-v1';
const SHELL = ['/scanner/', '/scanner/manifest.webmanifest', '/scanner-icon.svg', '/favicon.svg'];

async function precache() {
  const cache = await caches.open(CACHE);
  await cache.addAll(SHELL);
  // the hashed bundles the page names (and the chunks they import), so the first offline start works
  const html = await (await cache.match('/scanner/')).text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.addAll([...new Set(assets)]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname.startsWith('/assets/')) {
    // content-hashed: the cached copy is the right one
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ||
          fetch(req).then((res) => {
            if (res.ok) caches.open(CACHE).then((c) => c.put(req, res.clone()));
            return res;
          }),
      ),
    );
    return;
  }
  if (req.mode === 'navigate' || SHELL.includes(url.pathname)) {
    // the network first (a new version), the cache when offline
    const key = req.mode === 'navigate' ? '/scanner/' : url.pathname;
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) caches.open(CACHE).then((c) => c.put(key, res.clone()));
          return res;
        })
        .catch(() => caches.match(key).then((hit) => hit || Response.error())),
    );
  }
});
