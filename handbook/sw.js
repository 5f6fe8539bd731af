// The handbook's service worker (written to the site's root by handbook/offline.py, which
// fills in BUILD, a digest of every file of this build, PAGES, the site's pages with their
// titles, and SITE, its name). It keeps the pages visited, the site's pages (documents,
// calculator index, reference pages: small beside the calculators' runtime) and the
// calculators' runtime, so that they work with the network gone; a page it does not hold
// gets a Chinese page saying so, with the pages it does hold. One cache per build: a new
// build installs a new worker, which deletes the old caches, so an old copy never serves a
// new site. The runtime is never fetched ahead: pages without a calculator still cost no
// Pyodide bytes.
"use strict";

const BUILD = "@BUILD@";
const PAGES = /*@PAGES@*/[];
const SITE = /*@SITE@*/"";
const FILES = /*@FILES@*/[];   // kept with the pages: the theme's sitemap and search index
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
    const navigate = request.mode === "navigate";
    const hit = await caches.match(request, { cacheName: CACHE, ignoreSearch: navigate });
    if (hit) return hit;
    if (navigate) return notKept(request.url);
    throw e;
  }
}

const escapeHTML = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const NAMED = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const unescapeHTML = (html) => html.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, code) =>
  code[0] !== "#" ? NAMED[code] || whole
    : String.fromCodePoint(parseInt(code.slice(code[1] === "x" ? 2 : 1), code[1] === "x" ? 16 : 10)));

// Offline, for a page this browser does not hold: say so, and list the pages it does hold
// (the site's pages first, in the order of its navigation, then others visited).
async function notKept(url) {
  const cache = await caches.open(CACHE);
  const held = new Set((await cache.keys()).map((r) => r.url));
  const titles = new Map(PAGES.map(([path, title]) => [new URL(path, SCOPE).href, title]));
  const items = [...titles].filter(([href]) => held.has(href));
  for (const href of held) {
    if (!titles.has(href) && href.endsWith("/")) {
      const text = await (await cache.match(href)).text();
      const title = (text.match(/<title>([^<]*)<\/title>/) || [])[1];
      items.push([href, title ? unescapeHTML(title) : decodeURI(href.slice(SCOPE.length))]);
    }
  }
  const list = items.map(([href, title]) => `<li><a href="${escapeHTML(href)}">${escapeHTML(title)}</a></li>`).join("");
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>离线：本页尚未保存到本机 - ${escapeHTML(SITE)}</title>
<style>body{font:16px/1.7 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}a{color:#3f51b5}li{margin:.2rem 0}</style></head><body>
<h1>本页尚未保存到本机</h1>
<p>现在连不上手册的服务器，而这一页（<code>${escapeHTML(decodeURI(url.slice(SCOPE.length)) || "首页")}</code>）还没有在这台电脑上打开过，所以无法离线显示。联网后打开一次，以后即可离线阅读。</p>
<h2>可以离线阅读的页面（${items.length} 页）</h2>
<ul>${list}</ul>
</body></html>`;
  return new Response(html, { status: 503, headers: { "content-type": "text/html; charset=utf-8" } });
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
// calculators' runtime, taken from the browser's HTTP cache), and the site's pages not held
// yet: the page sends its addresses once it is idle (a calculator ready).
self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "keep") return;
  const urls = [...event.data.urls.filter(ours), ...PAGES.map(([path]) => path), ...FILES]
    .map((u) => new URL(u, SCOPE).href);
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all([...new Set(urls)].map((url) =>
    cache.match(url).then((hit) => hit || fetch(url).then((r) => (r.ok ? cache.put(url, r) : null)))
      .catch(() => null)))).then(() => {
    if (event.source) event.source.postMessage({ type: "kept", urls: event.data.urls.length });
  }));
});
