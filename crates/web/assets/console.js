// Guomen console: live validation, HS look-up and item rows on the declaration form.
// Plain script, no library; the pages work without it (the server checks everything again).
(function () {
  "use strict";
  var form = document.getElementById("declaration-form");
  if (!form) return;
  var csrf = form.querySelector("input[name=csrf]").value;
  var touched = {};
  var timer = null;
  var status = document.getElementById("live-status");
  var zh = document.documentElement.lang === "zh-CN";

  function renumber(group) {
    var rows = group.querySelectorAll(":scope > fieldset.row");
    rows.forEach(function (row, i) {
      row.querySelector(".row-no").textContent = String(i + 1);
      row.querySelectorAll("[name], [id], [for], [data-error-for], [data-hs-for]").forEach(function (el) {
        ["name", "id", "for", "data-error-for", "data-hs-for"].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v) el.setAttribute(attr, v.replace(/^(\w+)\[(\d+|__)\]/, "$1[" + i + "]"));
        });
      });
    });
  }

  function showErrors(errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (el) {
      var path = el.getAttribute("data-error-for");
      if (touched[path] || touched["*"]) el.textContent = "";
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      if (touched[el.name] || touched["*"]) el.removeAttribute("aria-invalid");
    });
    var shown = 0;
    errors.forEach(function (e) {
      if (!(touched[e.path] || touched["*"])) return;
      var slot = form.querySelector('[data-error-for="' + CSS.escape(e.path) + '"]');
      var input = form.querySelector('[name="' + CSS.escape(e.path) + '"]');
      if (slot) {
        slot.textContent = (slot.textContent ? slot.textContent + " " : "") + e.message;
        shown++;
      }
      if (input) input.setAttribute("aria-invalid", "true");
    });
    if (status) status.textContent = errors.length === 0 ? (zh ? "校验通过" : "All fields pass") : (zh ? errors.length + " 处待修改" : errors.length + " to fix");
  }

  function check() {
    var body = new URLSearchParams(new FormData(form));
    fetch("/declarations/check", { method: "POST", headers: { "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded" }, body: body, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) { if (j) showErrors(j.errors); })
      .catch(function () {});
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, 350);
  }

  form.addEventListener("change", function (e) {
    if (e.target.name) touched[e.target.name] = true;
    later();
  });
  form.addEventListener("focusout", function (e) {
    if (e.target.name && e.target.value) { touched[e.target.name] = true; later(); }
  });

  // HS look-up: digits or English words, from the HS 2022 table the server holds.
  var hsList = document.getElementById("hs-list");
  var hsTimer = null;
  form.addEventListener("input", function (e) {
    var el = e.target;
    if (!el.hasAttribute("data-hs")) return;
    clearTimeout(hsTimer);
    hsTimer = setTimeout(function () {
      var q = el.value.trim();
      var hint = form.querySelector('[data-hs-for="' + CSS.escape(el.name) + '"]');
      if (q.length < 2) { if (hint) hint.textContent = ""; return; }
      var lookup = /^\d+$/.test(q) && q.length >= 6 ? q.slice(0, 6) : q;
      fetch("/hs?q=" + encodeURIComponent(lookup), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          hsList.innerHTML = "";
          j.results.forEach(function (h) {
            var o = document.createElement("option");
            o.value = h.code;
            o.label = h.code + " " + h.description;
            o.textContent = h.description;
            hsList.appendChild(o);
          });
          if (hint) {
            var exact = j.results.filter(function (h) { return q.indexOf(h.code) === 0; })[0];
            hint.textContent = exact ? exact.code + " " + exact.description : (j.results.length ? (zh ? j.results.length + " 个匹配" : j.results.length + " matches") : (zh ? "无匹配" : "no match"));
          }
        })
        .catch(function () {});
    }, 200);
  });

  // Item, container and licence rows.
  form.addEventListener("click", function (e) {
    var t = e.target;
    if (t.classList.contains("add-row")) {
      var group = t.closest("[data-group]");
      var tpl = group.querySelector("template");
      var row = tpl.content.firstElementChild.cloneNode(true);
      group.insertBefore(row, group.querySelector(":scope > .err"));
      renumber(group);
      var first = row.querySelector("input, select");
      if (first) first.focus();
    } else if (t.classList.contains("remove-row")) {
      var g = t.closest("[data-group]");
      t.closest("fieldset.row").remove();
      renumber(g);
      later();
    }
  });

  form.addEventListener("submit", function () { touched["*"] = true; });
})();

// The language switch keeps what was typed: the values of the page's forms travel in
// sessionStorage (this tab only) and are put back when the page comes back in the other
// language. Passwords, files and hidden fields (the CSRF token) are never kept.
(function () {
  "use strict";
  var key = "gm-typed:" + location.pathname;
  function kept(el) {
    return el.name && !el.closest("header") && ["hidden", "password", "file", "submit", "button"].indexOf(el.type) < 0;
  }
  function fields() {
    return Array.prototype.filter.call(document.querySelectorAll("main input, main select, main textarea"), kept);
  }
  var sw = document.getElementById("lang-switch");
  if (sw) {
    sw.addEventListener("click", function () {
      var saved = [];
      fields().forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") saved.push([el.name, el.value, el.checked]);
        else saved.push([el.name, el.value]);
      });
      try { sessionStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* storage off: nothing kept */ }
    });
  }
  var raw = null;
  try { raw = sessionStorage.getItem(key); sessionStorage.removeItem(key); } catch (e) { return; }
  if (!raw) return;
  var saved;
  try { saved = JSON.parse(raw); } catch (e) { return; }
  // Rows the page's script had added (items, containers, licences) are added again first.
  saved.forEach(function (s) {
    var m = /^(\w+)\[(\d+)\]\./.exec(s[0]);
    if (!m) return;
    var add = document.getElementById("add-" + m[1]);
    for (var i = 0; add && i < 50 && !document.querySelector('[name="' + CSS.escape(s[0]) + '"]'); i++) add.click();
  });
  var seen = {};
  saved.forEach(function (s) {
    var all = document.querySelectorAll('main [name="' + CSS.escape(s[0]) + '"]');
    if (s.length === 3) {
      Array.prototype.forEach.call(all, function (el) { if (el.value === s[1]) el.checked = s[2]; });
      return;
    }
    var n = seen[s[0]] || 0;
    seen[s[0]] = n + 1;
    var el = all[n];
    if (el && kept(el)) el.value = s[1];
  });
})();

// Live notices: the bell's unread count, and new rows on the notices page, from the server's
// event stream (the browser reconnects by itself when the connection drops).
(function () {
  "use strict";
  var badge = document.getElementById("unread");
  if (!badge || !window.EventSource) return;
  var es = new EventSource("/notices/stream");
  es.addEventListener("unread", function (e) {
    badge.textContent = e.data;
    badge.hidden = e.data === "0";
    badge.setAttribute("aria-label", e.data);
  });
  es.addEventListener("notice", function (e) {
    var rows = document.getElementById("notice-rows");
    if (!rows) return;
    var t = document.createElement("tbody");
    t.innerHTML = e.data;
    var empty = document.getElementById("no-notices");
    if (empty) empty.remove();
    Array.prototype.slice.call(t.children).reverse().forEach(function (r) { rows.insertBefore(r, rows.firstChild); });
  });
  window.addEventListener("pagehide", function () { es.close(); });
})();

// The print button of a printable document.
(function () {
  "use strict";
  var b = document.querySelector("[data-print]");
  if (b) b.addEventListener("click", function () { window.print(); });
})();

// Irreversible steps ask first: a form marked data-confirm shows its question and a confirm
// button in place before it is sent (without scripts it is sent at once, as before).
(function () {
  "use strict";
  var zh = document.documentElement.lang === "zh-CN";
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm") || form.dataset.confirmed === "1") return;
    e.preventDefault();
    if (form.querySelector(".confirm-box")) return;
    var box = document.createElement("div");
    box.className = "confirm-box";
    box.setAttribute("role", "alertdialog");
    var p = document.createElement("p");
    p.textContent = form.getAttribute("data-confirm");
    var yes = document.createElement("button");
    yes.type = "button";
    yes.className = "danger";
    yes.setAttribute("data-confirm-yes", "");
    yes.textContent = zh ? "确认" : "Confirm";
    var no = document.createElement("button");
    no.type = "button";
    no.className = "secondary";
    no.textContent = zh ? "取消" : "Cancel";
    yes.addEventListener("click", function () { form.dataset.confirmed = "1"; form.submit(); });
    no.addEventListener("click", function () { box.remove(); });
    box.appendChild(p);
    box.appendChild(yes);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(no);
    form.appendChild(box);
    yes.focus();
  });
})();
