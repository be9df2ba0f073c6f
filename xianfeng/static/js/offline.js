// The grid-worker app in the page (docs/modules/pwa.md): registers the service worker, and
// turns a <form data-offline> (visit, intake) into one that works without signal: the form
// is queued on the phone (IndexedDB, photos as Blobs) with its one-time token and replayed
// when the signal returns; what the server refuses is listed under 同步冲突 for the worker.
// Plain ES5 with Promises for old phones; offline-queue.js must load first.
(function () {
  if (window.xianfengOffline) return;
  window.xianfengOffline = true;
  var Q = window.XFQueue;
  var meta = document.querySelector('meta[name="xf-user"]');
  var user = meta ? parseInt(meta.getAttribute("content"), 10) : null;
  var FLASH = "xf-flash";
  // The page's language: base.html renders the translated texts as JSON (not executed).
  var TEXT = {
    synced: "已同步 {n} 条", conflict: "{n} 条有冲突，请查看", login: "登录已过期，请重新登录后同步",
    offline: "当前无网络：可查看已同步的页面，登记的内容保存在本机", pending: "已保存，待同步 ({n})",
    sync: "立即同步", conflicts: "同步冲突", retry: "仍要提交", drop: "放弃",
    unsaved: "无法保存在本机：", confirm_drop: "放弃后这条登记将从本机删除，确定吗？",
    forbidden: "您已没有提交这项登记的权限，请联系上级", gone: "要登记的对象已不存在或不在您的范围内"
  };
  try {
    var given = JSON.parse(document.getElementById("xf-offline-text").textContent);
    for (var k in given) if (given[k]) TEXT[k] = given[k];
  } catch (e) { /* keep the Chinese texts */ }
  function t(key, n) { return TEXT[key].replace("{n}", String(n)); }
  var shown = "";  // the last note (saved, synced …), kept until a new one replaces it

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" })["catch"](function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "xf-outbox") render(done(event.data.result));
    });
  }
  if (!Q || !window.indexedDB || !window.Promise) return;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
    if (text) node.textContent = text;
    return node;
  }

  function box() {
    var node = document.getElementById("xf-offline");
    if (!node) {
      node = el("section", { id: "xf-offline", "class": "card offline-box", "aria-live": "polite" });
      var main = document.querySelector("main") || document.body;
      main.insertBefore(node, main.firstChild);
    }
    return node;
  }

  function done(result) {
    if (!result) return "";
    var parts = [];
    if (result.synced) parts.push(t("synced", result.synced));
    if (result.conflict) parts.push(t("conflict", result.conflict));
    if (result.login) parts.push(t("login"));
    return parts.join(TEXT.separator || "，");
  }

  // The queue and the conflicts of this user, drawn with textContent only.
  function render(note) {
    if (note) shown = note;
    note = shown;
    return Q.all().then(function (items) {
      var mine = items.filter(function (i) { return user === null || i.user === user; });
      var queued = mine.filter(function (i) { return i.status === "queued"; });
      var conflicts = mine.filter(function (i) { return i.status === "conflict"; });
      var node = box();
      node.textContent = "";
      var online = navigator.onLine;
      if (!queued.length && !conflicts.length && online && !note) {
        node.hidden = true;
        return;
      }
      node.hidden = false;
      if (!online) node.appendChild(el("p", { "class": "badge amber" }, t("offline")));
      if (note) node.appendChild(el("p", { "class": conflicts.length ? "badge amber" : "msg-success" }, note));
      if (queued.length || !online) {
        var line = el("p", { "data-xf-pending": String(queued.length) }, t("pending", queued.length));
        node.appendChild(line);
        var list = el("ul", { "class": "muted" });
        queued.forEach(function (i) { list.appendChild(el("li", {}, i.title)); });
        node.appendChild(list);
        if (online && queued.length) node.appendChild(el("button", { type: "button", "class": "btn secondary", "data-xf-sync": "" }, t("sync")));
      }
      if (conflicts.length) {
        node.appendChild(el("h2", {}, t("conflicts")));
        var ul = el("ul", { "class": "xf-conflicts" });
        conflicts.forEach(function (i) {
          var li = el("li");
          li.appendChild(el("strong", {}, i.title));
          var why = i.message || (i.code === 404 ? t("gone") : t("forbidden"));
          li.appendChild(el("span", {}, "：" + why + " "));
          li.appendChild(el("button", { type: "button", "class": "btn secondary", "data-xf-retry": i.key }, t("retry")));
          li.appendChild(el("button", { type: "button", "class": "btn secondary", "data-xf-drop": i.key }, t("drop")));
          ul.appendChild(li);
        });
        node.appendChild(ul);
      }
    });
  }

  function flush() {
    return Q.flush().then(function (result) { return render(done(result)); });
  }

  function snapshot(form) {
    var fields = [];
    var els = form.elements;
    for (var i = 0; i < els.length; i++) {
      var e = els[i];
      if (!e.name || e.disabled || /^(submit|button|reset)$/.test(e.type)) continue;
      if ((e.type === "checkbox" || e.type === "radio") && !e.checked) continue;
      if (e.type === "file") {
        for (var j = 0; j < e.files.length; j++) {
          var f = e.files[j];
          fields.push([e.name, { blob: f.slice(0, f.size, f.type), name: f.name }]);
        }
      } else if (e.type === "select-multiple") {
        for (var k = 0; k < e.options.length; k++) {
          if (e.options[k].selected) fields.push([e.name, e.options[k].value]);
        }
      } else {
        fields.push([e.name, e.value]);
      }
    }
    var keyField = form.elements[form.getAttribute("data-offline-key") || "key"];
    var title = form.getAttribute("data-offline-title") || document.title;
    var text = form.elements.description || form.elements.found;
    if (text && text.value) title += "：" + text.value.slice(0, 20);
    return {
      key: (keyField && keyField.value) || Q.uuid(),
      user: user,
      action: form.action,
      kind: form.getAttribute("data-offline"),
      title: title,
      created: new Date().toISOString(),
      status: "queued",
      fields: fields
    };
  }

  function fresh(form) {
    form.reset();
    var keyField = form.elements[form.getAttribute("data-offline-key") || "key"];
    if (keyField) keyField.value = Q.uuid().replace(/-/g, "");
  }

  function queue(form, item) {
    return Q.put(item).then(function () {
      fresh(form);
      if ("serviceWorker" in navigator) {
        navigator.serviceWorker.ready.then(function (reg) {
          if (reg.sync) return reg.sync.register("xf-outbox");
        })["catch"](function () {});
      }
      return render();
    }, function (err) {
      formError(form, t("unsaved") + err);
    });
  }

  function formError(form, text) {
    var p = form.querySelector(".xf-form-error");
    if (!p) {
      p = el("p", { "class": "errorlist xf-form-error", role: "alert" });
      form.insertBefore(p, form.firstChild);
    }
    p.textContent = text;
  }

  // With signal the form is posted as a replay (JSON answer); without, or when the post
  // fails on the way, it is queued. An invalid form is posted the ordinary way so the server
  // draws its errors (same token: still stored once).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-offline") || user === null) return;
    event.preventDefault();
    var item = snapshot(form);
    if (!navigator.onLine) { queue(form, item); return; }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Idempotency-Key": item.key, Accept: "application/json" }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (response.status === 201) {
        return response.json().then(function (body) {
          try { sessionStorage.setItem(FLASH, body.message); } catch (e) { /* private mode */ }
          window.location.href = body.url;
        });
      }
      if (response.status === 409 || response.status === 400) {
        return response.json().then(function (body) { formError(form, body.message); });
      }
      if (!json || response.status === 422) form.submit();
    }, function () { queue(form, item); });
  });

  // Logging out forgets the pages kept for reading offline (the worker does it too).
  document.addEventListener("submit", function (event) {
    var action = event.target.action || "";
    if (/\/accounts\/logout\/$/.test(action) && window.caches) caches["delete"]("xf-pages");
  }, true);

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-xf-sync], [data-xf-retry], [data-xf-drop]");
    if (!button) return;
    if (button.hasAttribute("data-xf-sync")) { flush(); return; }
    var key = button.getAttribute("data-xf-retry") || button.getAttribute("data-xf-drop");
    if (button.hasAttribute("data-xf-drop")) {
      if (window.confirm(t("confirm_drop"))) Q.remove(key).then(function () { render(); });
      return;
    }
    // 仍要提交: the worker has looked at the conflict; send it without the household's
    // version (the server then records it), same token.
    Q.get(key).then(function (item) {
      item.fields = item.fields.filter(function (f) { return f[0] !== "seen"; });
      item.status = "queued";
      item.message = "";
      return Q.put(item);
    }).then(flush);
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { render(); });
  var flash = null;
  try { flash = sessionStorage.getItem(FLASH); sessionStorage.removeItem(FLASH); } catch (e) { /* private mode */ }
  render(flash || "").then(function () { if (navigator.onLine) flush(); });
})();
