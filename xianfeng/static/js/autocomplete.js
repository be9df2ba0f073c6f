/* Searchable pickers: every <select data-ac> becomes a search box with suggestions from
   core:suggest (name, 拼音 initials, code). The select stays in the form and carries the value;
   a multiple select shows its choices as chips that a finger can remove. */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function enhance(select) {
    var multiple = select.multiple;
    var box = el("div", "ac");
    var chips = el("div", "ac-chips");
    var input = el("input", "ac-input");
    var list = el("ul", "ac-list");
    input.type = "search";
    input.autocomplete = "off";
    input.setAttribute("aria-label", select.getAttribute("aria-label") || (select.labels[0] && select.labels[0].textContent) || "");
    input.placeholder = multiple ? "输入姓名或拼音首字母添加" : "输入姓名、拼音首字母或代码搜索";
    select.hidden = true;
    select.parentNode.insertBefore(box, select);
    box.appendChild(chips);
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(select);

    function drawChips() {
      chips.textContent = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected || !option.value) return;
        var chip = el("span", "ac-chip", option.textContent + " ");
        var remove = el("button", "ac-remove", "×");
        remove.type = "button";
        remove.setAttribute("aria-label", "移除 " + option.textContent);
        remove.addEventListener("click", function () {
          option.remove();
          drawChips();
        });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }

    function choose(hit) {
      if (!multiple) {
        Array.prototype.forEach.call(select.options, function (o) { if (o.value) o.remove(); });
      }
      var exists = Array.prototype.find.call(select.options, function (o) { return o.value === String(hit.id); });
      var option = exists || new Option(hit.label, hit.id);
      option.selected = true;
      if (!exists) select.add(option);
      select.dispatchEvent(new Event("change", { bubbles: true }));
      input.value = "";
      list.textContent = "";
      drawChips();
      input.focus();
    }

    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        var ticket = ++asked;
        if (!q) { list.textContent = ""; return; }
        var url = select.dataset.ac + "&q=" + encodeURIComponent(q);
        if (select.dataset.acWithin) url += "&within=" + encodeURIComponent(select.dataset.acWithin);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (body) {
            if (ticket !== asked) return;
            list.textContent = "";
            (body.results || []).forEach(function (hit) {
              var item = el("li");
              var pick = el("button", "ac-pick", hit.label);
              pick.type = "button";
              if (hit.detail) pick.appendChild(el("small", "", hit.detail));
              pick.addEventListener("click", function () { choose(hit); });
              item.appendChild(pick);
              list.appendChild(item);
            });
            if (!list.children.length) list.appendChild(el("li", "ac-none", "没有找到"));
          });
      }, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var first = list.querySelector(".ac-pick");
        if (first) first.click();
      }
    });
    drawChips();
  }

  function start(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select[data-ac]"), function (select) {
      if (!select.dataset.acReady) {
        select.dataset.acReady = "1";
        enhance(select);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { start(document); });
  document.addEventListener("htmx:afterSwap", function (event) { start(event.target); });
})();
