/*
 * 新员工入门 in the browser: the remembered position, reading progress, the self-check,
 * the read receipt and its later check, and "changed since your last visit" on document
 * pages. Everything stays in this browser (localStorage); nothing is sent anywhere.
 *
 * Hooks: [data-onboarding-role], a[data-read-doc][data-version], form[data-quiz] with
 * fieldset[data-question][data-answer], form[data-read-receipt], form[data-receipt-check],
 * [data-doc-seen] on document pages.
 */
(function () {
  "use strict";

  var KEY_ROLE = "handbook.position";
  var KEY_READ = "handbook.read";   // {DOC: version read}
  var KEY_SEEN = "handbook.seen";   // {DOC: version last seen}

  function load(key, fallback) {
    try { var v = JSON.parse(localStorage.getItem(key)); return v === null ? fallback : v; }
    catch (e) { return fallback; }
  }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }

  // Today in China time, whatever the reader's clock zone.
  function chinaToday() {
    var parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric",
      month: "2-digit", day: "2-digit" }).formatToParts(new Date());
    var get = function (t) { return parts.find(function (p) { return p.type === t; }).value; };
    return get("year") + "-" + get("month") + "-" + get("day");
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // --- position ------------------------------------------------------------------------
  function initRole(root) {
    var marker = root.querySelector("[data-onboarding-role]");
    if (marker) save(KEY_ROLE, { id: marker.dataset.onboardingRole, name: marker.dataset.roleName });
    var remembered = root.querySelector("[data-onboarding-remembered]");
    var role = load(KEY_ROLE, null);
    if (remembered && role) {
      var link = root.querySelector('[data-onboarding-picker] a[data-role="' + role.id + '"]');
      remembered.textContent = "你选择的岗位：" + role.name + "　";
      if (link) {
        var go = el("a", { href: link.getAttribute("href") }, "继续阅读本岗位的入门页 →");
        remembered.appendChild(go);
        link.classList.add("onb-picker__mine");
      }
      remembered.hidden = false;
    }
    root.querySelectorAll("[data-onboarding-picker] a[data-role]").forEach(function (a) {
      a.addEventListener("click", function () {
        save(KEY_ROLE, { id: a.dataset.role, name: a.textContent.trim() });
      });
    });
  }

  // --- reading progress ------------------------------------------------------------------
  function initPath(root) {
    var links = root.querySelectorAll("a[data-read-doc]");
    if (!links.length) return;
    var progress = root.querySelector("[data-reading-progress]");
    var read = load(KEY_READ, {});
    function update() {
      var done = 0;
      links.forEach(function (a) { if (read[a.dataset.readDoc] === a.dataset.version) done++; });
      if (progress) progress.textContent = "已读 " + done + " / " + links.length + " 份";
    }
    links.forEach(function (a) {
      if (a.parentNode.querySelector("input[data-read-box]")) return;
      var box = el("input", { type: "checkbox", "data-read-box": a.dataset.readDoc,
        "aria-label": "已读 " + a.textContent });
      box.checked = read[a.dataset.readDoc] === a.dataset.version;
      box.addEventListener("change", function () {
        if (box.checked) read[a.dataset.readDoc] = a.dataset.version;
        else delete read[a.dataset.readDoc];
        save(KEY_READ, read);
        update();
      });
      var label = el("label", { class: "onb-read" });
      label.appendChild(box);
      label.appendChild(document.createTextNode(" 已读 "));
      a.parentNode.insertBefore(label, a);
    });
    update();
  }

  // --- self-check ------------------------------------------------------------------------
  function initQuiz(root) {
    root.querySelectorAll("form[data-quiz]").forEach(function (form) {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var questions = form.querySelectorAll("[data-question]");
        var right = 0;
        questions.forEach(function (q) {
          var chosen = q.querySelector("input[type=radio]:checked");
          var ok = chosen !== null && chosen.value === q.dataset.answer;
          if (ok) right++;
          q.dataset.result = chosen === null ? "unanswered" : (ok ? "right" : "wrong");
          q.querySelectorAll("label").forEach(function (l) {
            var input = l.querySelector("input");
            l.classList.toggle("onb-opt--answer", input.value === q.dataset.answer);
          });
          var explain = q.querySelector(".onb-explain");
          if (explain) {
            explain.hidden = false;
            var mark = explain.querySelector(".onb-verdict") || el("strong", { class: "onb-verdict" });
            mark.textContent = chosen === null ? "未作答。" : (ok ? "答对了。" : "答错了。");
            if (!mark.parentNode) explain.insertBefore(mark, explain.firstChild);
          }
        });
        var score = form.querySelector("[data-quiz-score]");
        score.dataset.right = String(right);
        score.dataset.total = String(questions.length);
        score.textContent = "得分：" + right + " / " + questions.length +
          (right === questions.length ? "，全部答对。" : "。答错的题目下有正确答案和条款，读完后可重新作答。");
      });
    });
  }

  // --- read receipt ----------------------------------------------------------------------
  function releasesOf(form) { return JSON.parse(form.dataset.releases); }

  function receiptText(form, name, employee, docs) {
    var role = load(KEY_ROLE, null);
    var lines = ["阅读确认书", "", "姓名：" + name, "工号：" + employee];
    if (role) lines.push("岗位：" + role.name);
    lines.push("日期：" + chinaToday(), "", "本人已阅读下列受控文件（版本以发布记录为准）：");
    releasesOf(form).forEach(function (r) {
      if (docs.indexOf(r.doc) < 0) return;
      var last = r.revisions[r.revisions.length - 1];
      lines.push(r.doc + " " + r.title + "｜版本 " + last.version + "｜生效日期 " + last.effective +
        "｜SHA-256 " + last.sha256);
    });
    lines.push("", "本人签名：________________　　部门负责人：________________");
    return lines.join("\n") + "\n";
  }

  function initReceipt(root) {
    var form = root.querySelector("form[data-read-receipt]");
    if (!form || form.dataset.bound) return;
    form.dataset.bound = "1";
    var read = load(KEY_READ, {});
    form.querySelectorAll('input[name="doc"]').forEach(function (box) {
      if (read[box.value]) box.checked = true;
    });
    var error = form.querySelector(".onb-receipt__error");
    var out = form.querySelector(".onb-receipt__out");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var name = form.elements.name.value.trim();
      var employee = form.elements.employee.value.trim();
      var docs = Array.prototype.map.call(form.querySelectorAll('input[name="doc"]:checked'),
        function (b) { return b.value; });
      var problem = !name ? ["name", "请填写姓名"] : !employee ? ["employee", "请填写工号"]
        : !docs.length ? [null, "请至少勾选一份已读的文件"] : null;
      form.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
      if (problem) {
        error.textContent = problem[1];
        error.hidden = false;
        if (problem[0]) {
          form.elements[problem[0]].setAttribute("aria-invalid", "true");
          form.elements[problem[0]].focus();
        }
        return;
      }
      error.hidden = true;
      var text = receiptText(form, name, employee, docs);
      form.querySelector("[data-receipt-text]").textContent = text;
      var link = form.querySelector("[data-receipt-download]");
      if (link.href.indexOf("blob:") === 0) URL.revokeObjectURL(link.href);
      link.href = URL.createObjectURL(new Blob(["\ufeff" + text], { type: "text/plain;charset=utf-8" }));
      link.download = "阅读确认书-" + employee + "-" + chinaToday() + ".txt";
      out.hidden = false;
    });
    form.querySelector("[data-receipt-print]").addEventListener("click", function () {
      document.body.classList.add("onb-printing");
      window.print();
      document.body.classList.remove("onb-printing");
    });
  }

  // A receipt line: "XY-03 标题｜版本 1.1｜生效日期 2026-12-01｜SHA-256 <64 hex>".
  var LINE = /([A-Z]{2}-\d{2})[^\n]*?版本\s*(\d+\.\d+)[^\n]*?SHA-256\s*([0-9a-f]{64})/g;

  function checkReceipt(releases, text) {
    var byDoc = {};
    releases.forEach(function (r) { byDoc[r.doc] = r; });
    var out = [];
    var m;
    LINE.lastIndex = 0;
    while ((m = LINE.exec(text)) !== null) {
      var r = byDoc[m[1]];
      var item = { doc: m[1], version: m[2] };
      if (!r) { item.status = "unknown"; item.text = "不是本手册的文件"; out.push(item); continue; }
      var k = r.revisions.findIndex(function (v) { return v.version === m[2]; });
      if (k < 0) { item.status = "unknown"; item.text = "版本 " + m[2] + " 不在发布记录中"; }
      else if (r.revisions[k].sha256 !== m[3]) { item.status = "mismatch"; item.text = "SHA-256 与发布记录不符，确认书可能被改动"; }
      else {
        var later = r.revisions.slice(k + 1);
        var major = later.filter(function (v) { return v.kind === "substantive"; });
        var last = r.revisions[r.revisions.length - 1];
        if (major.length) {
          item.status = "reread";
          item.text = "须重新阅读：此后有实质性修订（" + major.map(function (v) {
            return "第 " + v.version + " 版，" + v.effective + " 生效"; }).join("；") + "）";
        } else if (later.length) {
          item.status = "editorial";
          item.text = "无须重读：此后只有编辑性修订（现为第 " + last.version + " 版）";
        } else {
          item.status = "current";
          item.text = "仍是最新发布的版本";
        }
      }
      out.push(item);
    }
    return out;
  }

  function initCheck(root) {
    var form = root.querySelector("form[data-receipt-check]");
    if (!form || form.dataset.bound) return;
    form.dataset.bound = "1";
    var result = form.querySelector("[data-receipt-result]");
    function show(text) {
      var items = checkReceipt(releasesOf(form), text);
      result.textContent = "";
      if (!items.length) {
        result.appendChild(el("p", { class: "onb-check__none" }, "没有找到确认书中的文件行（每行应有文件编号、“版本”和“SHA-256”）。"));
        return;
      }
      var must = items.filter(function (i) { return i.status === "reread"; }).length;
      result.appendChild(el("p", { "data-reread-count": String(must) },
        must ? "有 " + must + " 份文件须重新阅读。" : "没有须重新阅读的文件。"));
      var list = el("ul");
      items.forEach(function (i) {
        list.appendChild(el("li", { "data-doc": i.doc, "data-status": i.status },
          i.doc + "（第 " + i.version + " 版）：" + i.text));
      });
      result.appendChild(list);
    }
    form.addEventListener("submit", function (ev) { ev.preventDefault(); show(form.elements.receipt.value); });
    form.querySelector('input[type="file"]').addEventListener("change", function (ev) {
      var file = ev.target.files[0];
      if (!file) return;
      file.text().then(function (t) { form.elements.receipt.value = t; show(t); });
    });
  }

  // --- changed since the last visit --------------------------------------------------------
  function initSeen(root) {
    var marker = root.querySelector("[data-doc-seen]");
    if (!marker) return;
    var seen = load(KEY_SEEN, {});
    var doc = marker.dataset.docSeen, version = marker.dataset.version;
    var before = seen[doc];
    if (before && before !== version && !root.querySelector(".onb-changed")) {
      var note = el("div", { class: "admonition info onb-changed", role: "note" });
      note.appendChild(el("p", { class: "admonition-title" }, "本文件已更新"));
      var p = el("p", {}, "你上次在本浏览器查看本文件时是第 " + before + " 版，现已发布第 " + version + " 版。");
      var compare = marker.dataset.compare;
      if (compare) {
        p.appendChild(document.createTextNode(" "));
        p.appendChild(el("a", { href: compare + "?doc=" + encodeURIComponent(doc) + "&old=" +
          encodeURIComponent(before) + "&new=" + encodeURIComponent(version) }, "查看两版对照"));
      }
      note.appendChild(p);
      marker.parentNode.insertBefore(note, marker);
    }
    seen[doc] = version;
    save(KEY_SEEN, seen);
  }

  function init() {
    var root = document;
    initRole(root);
    initPath(root);
    initQuiz(root);
    initReceipt(root);
    initCheck(root);
    initSeen(root);
  }

  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
