// The service worker of the grid-worker app (docs/modules/pwa.md), served at /sw.js with
// the root scope; the server puts `self.XF_CONFIG` (version, shell, offline page) above this.
// - the app shell (vendored static files) is cached at install, served cache-first;
// - the workbench, grid and request pages are network-first, the last copy when offline;
// - any other page without signal shows the offline page;
// - Background Sync replays the queued forms (offline-queue.js) where the browser has it.
var C = self.XF_CONFIG;
var SHELL_CACHE = "xf-shell-" + C.version;
var PAGES = "xf-pages";
var PAGE_RE = new RegExp(C.pages);
importScripts(C.queue);

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then(function (cache) { return cache.addAll(C.shell.concat([C.offline])); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("xf-shell-") === 0 && key !== SHELL_CACHE;
      }).map(function (key) { return caches["delete"](key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function fromNetwork(request, keep) {
  return fetch(request).then(function (response) {
    if (keep && response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/accounts/logout/") {
    // Logging out forgets the pages kept for reading offline (they hold residents' data).
    event.waitUntil(caches["delete"](PAGES));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode !== "navigate") return;
  var keep = PAGE_RE.test(url.pathname);
  event.respondWith(
    fromNetwork(request, keep)["catch"](function () {
      return caches.open(PAGES)
        .then(function (cache) { return keep ? cache.match(request) : null; })
        .then(function (hit) { return hit || caches.match(C.offline); });
    })
  );
});

function tellPages(result) {
  return self.clients.matchAll({ type: "window" }).then(function (pages) {
    pages.forEach(function (page) { page.postMessage({ type: "xf-outbox", result: result }); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag !== "xf-outbox") return;
  event.waitUntil(self.XFQueue.flush().then(tellPages));
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "xf-flush") {
    event.waitUntil(self.XFQueue.flush().then(tellPages));
  }
});
