// The phone's queue of forms filled in without signal (docs/modules/pwa.md).
// Shared by the pages (offline.js) and the service worker (Background Sync): IndexedDB and
// fetch only, no DOM. Plain ES5 with Promises, for old phones; no build step.
(function (root) {
  if (root.XFQueue) return;
  var DB = "xianfeng-offline";
  var STORE = "outbox";
  var STATE_URL = "/pwa/state/";
  var flushing = null;

  function open() {
    return new Promise(function (resolve, reject) {
      var req = root.indexedDB.open(DB, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore(STORE, { keyPath: "key" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  // Runs `work(store)` in one transaction; resolves with its request's result once committed.
  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var req = work(t.objectStore(STORE));
        t.oncomplete = function () { db.close(); resolve(req ? req.result : undefined); };
        t.onerror = t.onabort = function () { db.close(); reject(t.error); };
      });
    });
  }

  function put(item) { return tx("readwrite", function (s) { return s.put(item); }); }
  function get(key) { return tx("readonly", function (s) { return s.get(key); }); }
  function remove(key) { return tx("readwrite", function (s) { return s["delete"](key); }); }
  function all() {
    return tx("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.created < b.created ? -1 : 1; });
    });
  }

  // A random (version 4) UUID without crypto.randomUUID, which old phones lack.
  function uuid() {
    var b = new Uint8Array(16);
    root.crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = "";
    for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1);
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" +
      h.slice(16, 20) + "-" + h.slice(20);
  }

  function formData(item, csrf) {
    var data = new FormData();
    item.fields.forEach(function (field) {
      var name = field[0];
      var value = name === "csrfmiddlewaretoken" ? csrf : field[1];
      if (value && typeof value === "object") data.append(name, value.blob, value.name);
      else data.append(name, value);
    });
    return data;
  }

  // One replay. "synced": stored (now or before); "conflict": the server refused it and says
  // why, the worker decides; "later": no answer we can trust (login page, server trouble).
  function send(item, state) {
    return fetch(item.action, {
      method: "POST",
      body: formData(item, state.csrf),
      credentials: "same-origin",
      headers: { "Idempotency-Key": item.key, "X-CSRFToken": state.csrf, Accept: "application/json" }
    }).then(function (response) {
      if (response.status === 201) return remove(item.key).then(function () { return "synced"; });
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (!json && (response.status === 403 || response.status === 404) && !response.redirected) {
        // No right (any more) to this page or object: waiting will not help; the worker sees it.
        item.status = "conflict";
        item.code = response.status;
        item.message = "";
        return put(item).then(function () { return "conflict"; });
      }
      if (!json || response.status >= 500 || response.redirected) return "later";
      return response.json().then(function (body) {
        item.status = "conflict";
        item.code = response.status;
        item.message = body.message || "HTTP " + response.status;
        return put(item).then(function () { return "conflict"; });
      });
    });
  }

  // Replays the logged-in user's queued forms, oldest first, one at a time; stops at the
  // first network failure. Resolves {synced, conflict} or {offline} / {login}.
  function flush() {
    if (flushing) return flushing;
    flushing = fetch(STATE_URL, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok && !response.redirected ? response.json() : null;
      })
      .then(function (state) {
        if (!state || !state.user) return { login: true, synced: 0, conflict: 0 };
        return all().then(function (items) {
          var counts = { synced: 0, conflict: 0 };
          var mine = items.filter(function (i) { return i.user === state.user && i.status === "queued"; });
          return mine.reduce(function (previous, item) {
            return previous.then(function (stop) {
              if (stop) return true;
              return send(item, state).then(function (outcome) {
                if (outcome === "later") return true;
                counts[outcome] += 1;
                return false;
              });
            });
          }, Promise.resolve(false)).then(function () { return counts; });
        });
      })
      ["catch"](function () { return { offline: true, synced: 0, conflict: 0 }; })
      .then(function (result) { flushing = null; return result; });
    return flushing;
  }

  root.XFQueue = { put: put, get: get, remove: remove, all: all, uuid: uuid, flush: flush, send: send };
})(self);
