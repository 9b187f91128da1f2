// kplay's service worker: after the first visit the playground works offline. Every file the
// page fetched from its own origin is kept (the page sends the list once loaded: the first
// load happens before this worker runs); later requests go to the network first, so a new
// build is picked up at once, and to the kept copy when the network is not there.
const CACHE = 'kplay-1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  const own = (url) => new URL(url, self.location.href).origin === self.location.origin;
  const urls = Array.isArray(event.data) ? event.data.filter((u) => typeof u === 'string' && own(u)) : [];
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.map((u) => cache.add(u).catch(() => {})))));
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    }, () => caches.match(request, { ignoreSearch: request.mode === 'navigate' }).then((kept) => kept ?? Response.error())),
  );
});
