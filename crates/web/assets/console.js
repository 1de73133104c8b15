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
