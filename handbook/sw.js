// The handbook's service worker (written to the site's root by handbook/offline.py, which
// fills in BUILD: a digest of every file of this build). It keeps the pages visited and the
// calculators' runtime so that they work with the network gone. One cache per build: a new
// build installs a new worker, which deletes the old caches, so an old copy never serves a
// new site. Nothing is fetched ahead: pages without a calculator still cost no Pyodide bytes.
"use strict";

const BUILD = "@BUILD@";
const CACHE = "handbook-" + BUILD;
const SCOPE = new URL("./", self.location.href).href;
// Content-hashed addresses never change meaning: serve them from the cache first.
const HASHED = [/\/assets\/pyodide\/[0-9a-f]{12}\//, /\/assets\/wheels\/[0-9a-f]{12}\//,
                /\.[0-9a-f]{8}\.min\.(js|css)$/];

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("handbook-") && k !== CACHE)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function ours(url) {
  return url.startsWith(SCOPE) && !url.endsWith("/sw.js");
}

async function keep(request, response) {
  if (response && response.ok && response.type === "basic") {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function cacheFirst(request) {
  const hit = await caches.match(request, { cacheName: CACHE, ignoreVary: true });
  if (hit) return hit;
  return keep(request, await fetch(request));
}

// Pages and unhashed files: the network's copy when there is one (always the newest).
async function networkFirst(request) {
  try {
    return await keep(request, await fetch(request));
  } catch (e) {
    const hit = await caches.match(request, { cacheName: CACHE, ignoreSearch: request.mode === "navigate" });
    if (hit) return hit;
    throw e;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !ours(request.url)) return;
  if (request.cache === "only-if-cached") {
    // The calculators ask whether the snapshot is here without touching the network.
    event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
  } else if (HASHED.some((re) => re.test(new URL(request.url).pathname))) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request));
  }
});

// What a page loaded before this worker controlled it (the page itself, its scripts, the
// calculators' runtime): the page sends the addresses, taken from the browser's HTTP cache.
self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "keep") return;
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(event.data.urls.filter(ours).map((url) =>
    cache.match(url).then((hit) => hit || fetch(url).then((r) => (r.ok ? cache.put(url, r) : null)))
      .catch(() => null)))).then(() => {
    if (event.source) event.source.postMessage({ type: "kept", urls: event.data.urls.length });
  }));
});
