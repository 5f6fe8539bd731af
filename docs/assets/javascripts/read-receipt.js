/*
 * 阅读确认书: made in the browser for one position's reading path, from the data the build
 * put on form[data-read-receipt] (data-roles: [{id, name, unit, path: [DOC]}], data-releases:
 * handbook/onboarding.release_data() of those documents; data-role on a position's page).
 * It gives a JSON file, the record (format HandbookReceipts.FORMAT, fields in README), and a
 * sheet to print and sign. Nothing is sent anywhere.
 *
 * A document is read when it is ticked here or on the reading path (the same store,
 * handbook.read {DOC: version}); the self-check score is the last one this browser scored
 * for the position (handbook.quiz {role: {right, total, date}}, written by onboarding.js).
 * What is stored may have been edited by hand: it is checked for shape.
 */
(function () {
  "use strict";

  var KEY_ROLE = "handbook.position";
  var KEY_READ = "handbook.read";
  var KEY_QUIZ = "handbook.quiz";
  var STATEMENT = "本人确认已阅读上列勾选为“已读”的各文件的所列版本。SHA-256 是各版本公开的指纹，只用于指明版本，" +
    "不是签名；本确认书不能证明本人确实读过、读懂，也不能证明填写人就是本人。";

  function load(key) {
    try {
      var v = JSON.parse(localStorage.getItem(key));
      return v && typeof v === "object" && !Array.isArray(v) ? v : {};
    } catch (e) { return {}; }
  }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function latest(r) { return r.revisions[r.revisions.length - 1]; }

  // The stored score of a position, if it is one: whole numbers, 0 <= right <= total, a date.
  function score(role) {
    var s = load(KEY_QUIZ)[role];
    if (!s || typeof s !== "object") return null;
    var ok = Number.isInteger(s.right) && Number.isInteger(s.total) && s.right >= 0 && s.total >= 1 &&
      s.right <= s.total && typeof s.date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(s.date);
    return ok ? { right: s.right, total: s.total, date: s.date } : null;
  }
  function scoreText(s) {
    return s ? "自测：答对 " + s.right + " / " + s.total + " 题（" + s.date + "）"
      : "自测：尚未在本浏览器做本岗位的自测（见岗位页的“自测”）";
  }

  function safeName(text) { return text.replace(/[\\/:*?"<>|\s]+/g, "_"); }

  // The receipt of the page shown (instant navigation keeps this script and the document).
  var active = null;
  // Reading-path boxes (onboarding.js makes them, perhaps after this runs) and the
  // self-check (scored by onboarding.js's own handler, which runs first) update the receipt.
  document.addEventListener("change", function (ev) {
    var b = ev.target;
    if (!active || !document.contains(active.list) || !b.matches || !b.matches("input[data-read-box]")) return;
    active.list.querySelectorAll('input[name="doc"]').forEach(function (mine) {
      if (mine.value === b.dataset.readBox) mine.checked = b.checked;
    });
  });
  document.addEventListener("submit", function (ev) {
    if (active && document.contains(active.list) && ev.target.matches && ev.target.matches("form[data-quiz]")) {
      active.refreshScore();
    }
  });

  function init() {
    var form = document.querySelector("form[data-read-receipt]");
    if (!form || form.dataset.bound) return;
    form.dataset.bound = "1";
    var releases = JSON.parse(form.dataset.releases);
    var roles = JSON.parse(form.dataset.roles);
    var byDoc = {};
    releases.forEach(function (r) { byDoc[r.doc] = r; });
    var select = form.elements.position;
    var list = form.querySelector("[data-receipt-docs]");
    var error = form.querySelector(".onb-receipt__error");
    var out = form.querySelector("[data-receipt-out]");

    function role() {
      var id = form.dataset.role || (select ? select.value : "");
      for (var i = 0; i < roles.length; i++) if (roles[i].id === id) return roles[i];
      return null;
    }

    if (select) {
      var remembered = load(KEY_ROLE);
      if (typeof remembered.id === "string" && roles.some(function (r) { return r.id === remembered.id; })) {
        select.value = remembered.id;
      }
      select.addEventListener("change", function () { out.hidden = true; render(); });
    }

    // The position's documents, ticked as the store says (the version now published).
    function render() {
      var r = role();
      list.textContent = "";
      form.querySelector("[data-receipt-score]").textContent = r ? scoreText(score(r.id)) : "";
      if (!r) { list.appendChild(el("p", {}, "选择岗位后，这里列出该岗位阅读路径中的文件。")); return; }
      var read = load(KEY_READ);
      r.path.forEach(function (doc) {
        var rel = byDoc[doc], last = latest(rel);
        var box = el("input", { type: "checkbox", name: "doc", value: doc, "data-version": last.version });
        box.checked = read[doc] === last.version;
        var label = el("label", { class: "onb-receipt__doc" });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + doc + " " + rel.title + "（第 " + last.version + " 版，" +
          last.effective + " 生效）"));
        if (typeof read[doc] === "string" && read[doc] !== last.version) {
          label.appendChild(el("span", { class: "onb-receipt__older" }, "　本浏览器记下你读过第 " + read[doc] +
            " 版；现已发布第 " + last.version + " 版，读过新版后再勾选"));
        }
        list.appendChild(label);
      });
    }
    render();

    // A tick here is a tick on the reading path (same page) and the other way round.
    list.addEventListener("change", function (ev) {
      var box = ev.target;
      if (box.name !== "doc") return;
      var read = load(KEY_READ);
      if (box.checked) read[box.value] = box.dataset.version; else delete read[box.value];
      save(KEY_READ, read);
      document.querySelectorAll("input[data-read-box]").forEach(function (b) {
        if (b.dataset.readBox === box.value && b.checked !== box.checked) {
          b.checked = box.checked;
          b.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    });
    active = { list: list, refreshScore: function () {
      var r = role();
      if (r) form.querySelector("[data-receipt-score]").textContent = scoreText(score(r.id));
    } };

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var name = form.elements.name.value.trim();
      var employee = form.elements.employee.value.trim();
      var r = role();
      var ticked = {};
      form.querySelectorAll('input[name="doc"]').forEach(function (b) { ticked[b.value] = b.checked; });
      var any = Object.keys(ticked).some(function (k) { return ticked[k]; });
      var problem = !name ? ["name", "请填写姓名"] : !employee ? ["employee", "请填写工号"]
        : !r ? ["position", "请选择岗位"] : !any ? [null, "请至少勾选一份已读的文件"] : null;
      form.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
      if (problem) {
        error.textContent = problem[1];
        error.hidden = false;
        if (problem[0]) {
          form.elements[problem[0]].setAttribute("aria-invalid", "true");
          form.elements[problem[0]].focus();
        }
        out.hidden = true;
        return;
      }
      error.hidden = true;
      var record = {
        format: window.HandbookReceipts.FORMAT,
        title: "阅读确认书",
        name: name,
        employee: employee,
        position: { id: r.id, name: r.name, unit: r.unit },
        date: window.HandbookReceipts.today(),
        documents: r.path.map(function (doc) {
          var last = latest(byDoc[doc]);
          return { doc: doc, title: byDoc[doc].title, version: last.version, effective: last.effective,
            sha256: last.sha256, read: ticked[doc] === true };
        }),
        self_check: score(r.id),
        release_record_head: form.dataset.chainHead,
        statement: STATEMENT,
      };
      var file = "阅读确认书-" + safeName(employee) + "-" + record.date + ".json";
      sheet(form.querySelector("[data-receipt-sheet]"), record, file);
      var link = form.querySelector("[data-receipt-download]");
      if (link.href.indexOf("blob:") === 0) URL.revokeObjectURL(link.href);
      link.href = URL.createObjectURL(new Blob([JSON.stringify(record, null, 2) + "\n"], { type: "application/json" }));
      link.download = file;
      out.hidden = false;
    });
    form.querySelector("[data-receipt-print]").addEventListener("click", function () {
      document.body.classList.add("onb-printing");
      window.print();
      document.body.classList.remove("onb-printing");
    });
  }

  // The sheet to print and sign: the same content as the JSON file, named on it.
  function sheet(box, record, file) {
    box.textContent = "";
    box.appendChild(el("h3", {}, "阅读确认书"));
    var who = el("table", { class: "onb-receipt__person" });
    [["姓名", record.name], ["工号", record.employee],
     ["岗位", record.position.name + (record.position.unit ? "（" + record.position.unit + "）" : "")],
     ["日期", record.date]].forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, row[0]));
      tr.appendChild(el("td", {}, row[1]));
      who.appendChild(tr);
    });
    box.appendChild(who);
    var docs = el("table", { class: "onb-receipt__list" });
    var head = el("tr");
    ["序号", "文件", "版本", "生效日期", "已读", "SHA-256"].forEach(function (h) { head.appendChild(el("th", {}, h)); });
    docs.appendChild(el("thead")).appendChild(head);
    var body = docs.appendChild(el("tbody"));
    record.documents.forEach(function (d, i) {
      var tr = el("tr", { "data-doc": d.doc, "data-read": String(d.read) });
      [String(i + 1), d.doc + " " + d.title, d.version, d.effective, d.read ? "已读" : "未读", d.sha256]
        .forEach(function (c, k) { tr.appendChild(el("td", k === 5 ? { class: "onb-receipt__sha" } : {}, c)); });
      body.appendChild(tr);
    });
    box.appendChild(docs);
    box.appendChild(el("p", { "data-receipt-sheet-score": "" }, scoreText(record.self_check)));
    box.appendChild(el("p", { class: "onb-receipt__statement" }, record.statement));
    box.appendChild(el("p", { class: "onb-receipt__sign" }, "本人签名：________________　　日期：____________　　" +
      "部门负责人：________________"));
    box.appendChild(el("p", { class: "onb-receipt__file" }, "电子记录：" + file + "（与本页内容相同，" +
      "随签字页一并交行政人事部；格式 " + record.format + "）"));
  }

  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
