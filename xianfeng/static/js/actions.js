// Behaviour that pages used to write as inline handlers (onclick=…), which the
// Content-Security-Policy forbids: print buttons, "back" links, confirmations.
(function () {
  // Once per page, even if the file is included (or re-run by an htmx swap) again.
  if (window.xianfengActions) return;
  window.xianfengActions = true;
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-print], [data-back], button[data-confirm]");
    if (!el) return;
    if (el.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
    } else if (el.hasAttribute("data-back")) {
      event.preventDefault();
      history.back();
    } else if (!window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // <select data-autosubmit>: a filter that applies as soon as it is changed.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });
})();
