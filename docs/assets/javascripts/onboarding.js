/*
 * 新员工入门 in the browser: the remembered position, reading progress, the self-check,
 * the read receipt and its later check, and "changed since your last visit" on document
 * pages. Everything stays in this browser (localStorage); nothing is sent anywhere.
 *
 * Hooks: [data-onboarding-role], a[data-read-doc][data-version], form[data-quiz] with
 * fieldset[data-question][data-answer], form[data-receipt-check], [data-doc-seen] on
 * document pages. The receipt is made by read-receipt.js; the check's rules are in
 * receipt-check.js.
 *
 * What is stored may have been edited by hand: it is checked for shape, never put into a
 * selector or markup, and one part failing does not stop the others.
 */
(function () {
  "use strict";

  var KEY_ROLE = "handbook.position";
  var KEY_READ = "handbook.read";   // {DOC: version read}
  var KEY_SEEN = "handbook.seen";   // {DOC: version last seen}
  var KEY_QUIZ = "handbook.quiz";   // {role: {right, total, date}}: the last score, for the receipt

  function load(key, fallback) {
    try { var v = JSON.parse(localStorage.getItem(key)); return v === null ? fallback : v; }
    catch (e) { return fallback; }
  }
  // {DOC: version}: anything else stored under the key counts as nothing stored.
  function loadVersions(key) {
    var v = load(key, {});
    var out = {};
    if (v && typeof v === "object" && !Array.isArray(v)) {
      Object.keys(v).forEach(function (k) { if (typeof v[k] === "string") out[k] = v[k]; });
    }
    return out;
  }
  // The remembered position, if it is one of the positions linked from this page's picker
  // (its name then comes from the page, not from storage).
  function rememberedRole(root) {
    var role = load(KEY_ROLE, null);
    if (!role || typeof role.id !== "string") return null;
    var links = root.querySelectorAll("[data-onboarding-picker] a[data-role]");
    for (var i = 0; i < links.length; i++) {
      if (links[i].dataset.role === role.id) return { id: role.id, name: links[i].textContent.trim(), link: links[i] };
    }
    return null;
  }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }

  // Today in China time, whatever the reader's clock zone (receipt-check.js).
  function chinaToday() { return window.HandbookReceipts.today(); }

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
    var role = rememberedRole(root);
    if (remembered && role) {
      remembered.textContent = "你选择的岗位：" + role.name + "　";
      remembered.appendChild(el("a", { href: role.link.getAttribute("href") }, "继续阅读本岗位的入门页 →"));
      role.link.classList.add("onb-picker__mine");
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
    var read = loadVersions(KEY_READ);
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
        read = loadVersions(KEY_READ);   // the receipt's boxes write the same store
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
        var marker = root.querySelector("[data-onboarding-role]");
        if (marker) {
          var scores = load(KEY_QUIZ, {});
          if (!scores || typeof scores !== "object" || Array.isArray(scores)) scores = {};
          scores[marker.dataset.onboardingRole] = { right: right, total: questions.length, date: chinaToday() };
          save(KEY_QUIZ, scores);
        }
        var score = form.querySelector("[data-quiz-score]");
        score.dataset.right = String(right);
        score.dataset.total = String(questions.length);
        score.textContent = "得分：" + right + " / " + questions.length +
          (right === questions.length ? "，全部答对。" : "。答错的题目下有正确答案和条款，读完后可重新作答。");
      });
    });
  }

  function releasesOf(form) { return JSON.parse(form.dataset.releases); }

  // --- checking an old receipt (rules: receipt-check.js) ----------------------------------
  function itemLine(i) {
    return i.doc + (i.version ? "（第 " + i.version + " 版）" : "") + "：" + i.text;
  }

  // A document to re-read: the document, and its redline from the version read to the
  // latest (the redline page for one step, the comparison page for more).
  function rereadItem(i, byDoc, root) {
    var li = el("li", { "data-doc": i.doc, "data-status": i.status }, itemLine(i) + "　");
    var r = byDoc[i.doc], latest = i.latest;
    li.appendChild(el("a", { href: root + r.url }, i.doc + " " + r.title + "（第 " + latest.version + " 版）"));
    var k = r.revisions.findIndex(function (v) { return v.version === i.version; });
    var redline = k === r.revisions.length - 2 ? root + latest.redline
      : root + "reference/compare/?doc=" + encodeURIComponent(i.doc) + "&old=" +
        encodeURIComponent(i.version) + "&new=" + encodeURIComponent(latest.version);
    li.appendChild(document.createTextNode("　"));
    li.appendChild(el("a", { href: redline }, "与 " + i.version + " 对照"));
    return li;
  }

  function selfCheckText(sc) {
    return sc && typeof sc === "object" && "right" in sc ? "自测答对 " + sc.right + " / " + sc.total + " 题（" + sc.date + "）"
      : "没有自测成绩";
  }

  function showCheck(result, releases, root, check) {
    result.textContent = "";
    var add = function (node) { result.appendChild(node); return node; };
    var byDoc = {};
    releases.forEach(function (r) { byDoc[r.doc] = r; });
    var wrong = check.problems.concat(check.items.filter(function (i) { return i.mismatch; }));
    var fine = check.items.filter(function (i) { return !i.mismatch; });
    var reread = fine.filter(function (i) { return i.status === "reread"; });
    var rest = fine.filter(function (i) { return i.status !== "reread"; });
    var head = el("p", { class: "onb-check__head", "data-mismatch-count": String(check.mismatches) });
    if (wrong.length || check.items.length) add(head);
    if (wrong.length) {
      head.classList.add("onb-check__head--mismatch");
      head.appendChild(el("strong", {}, "确认书有 " + check.mismatches + " 处与发布记录不符"));
      head.appendChild(document.createTextNode("，不能据此认定读过哪些版本："));
      var list = add(el("ul", { class: "onb-check__mismatches" }));
      wrong.forEach(function (i) {
        list.appendChild(el("li", i.doc ? { "data-doc": i.doc, "data-status": i.status } : { "data-status": i.status },
          i.doc ? itemLine(i) : i.text));
      });
    } else if (check.items.length) {
      head.textContent = "确认书所列 " + check.items.length + " 份文件的版本、SHA-256 和日期都与发布记录相符。";
    }
    // Who and when, as the receipt says (a JSON receipt also has its self-check score).
    var who = check.receipt && check.receipt.person;
    if (who && (who.name || who.employee)) {
      add(el("p", { class: "onb-check__who" }, "确认书：" + (who.name || "（未写姓名）") + "，工号 " +
        (who.employee || "（未写）") + (who.position && who.position.name ? "，岗位 " + who.position.name : "") +
        (check.date ? "，日期 " + check.date : "") +
        (check.receipt.kind === "json" ? "；" + selfCheckText(check.receipt.selfCheck) : "") + "。"));
    }
    var unread = fine.filter(function (i) { return i.status === "not-read"; }).length;
    if (check.receipt && check.receipt.problem) {
      // not a receipt it can read: nothing else to say
    } else if (!check.items.length) {
      add(el("p", { class: "onb-check__none", "data-reread-count": "0" },
        "没有找到确认书中的文件行（每行应有文件编号、“版本”和“SHA-256”）。"));
    } else if (!fine.length) {
      add(el("p", { "data-reread-count": "0" }, "没有与发布记录相符的文件行，无法判断须重新阅读哪些文件。"));
    } else {
      add(el("p", { "data-reread-count": String(reread.length) },
        reread.length ? "有 " + reread.length + " 份文件须重新阅读：" :
          (wrong.length ? "与发布记录相符的各行中，" : "") + "没有须重新阅读的文件。"));
      if (reread.length) {
        var must = add(el("ul", { class: "onb-check__reread" }));
        reread.forEach(function (i) { must.appendChild(rereadItem(i, byDoc, root)); });
      }
      if (unread) add(el("p", { "data-unread-count": String(unread) }, "另有 " + unread + " 份文件未勾选为已读。"));
      if (rest.length) {
        var others = add(el("ul", { class: "onb-check__fine" }));
        rest.forEach(function (i) {
          others.appendChild(el("li", { "data-doc": i.doc, "data-status": i.status }, itemLine(i)));
        });
      }
    }
    add(el("p", { class: "onb-check__note" }, "核对只比较确认书与发布记录。SHA-256 是公开的，确认书不是签名：" +
      "相符只说明所列版本确实发布过，不能证明本人读过，也不能证明填写人就是本人。"));
  }

  function initCheck(root) {
    var form = root.querySelector("form[data-receipt-check]");
    if (!form || form.dataset.bound) return;
    form.dataset.bound = "1";
    var result = form.querySelector("[data-receipt-result]");
    var base = form.dataset.root || "";
    var limit = window.HandbookReceipts.MAX_CHARS;
    function refuse(what) {
      result.textContent = "";
      result.appendChild(el("p", { class: "onb-check__too-long" }, "确认书过长（" + what + "）：一份确认书通常只有" +
        "几千个字符，最多核对 " + limit.toLocaleString("en-US") + " 个字符。请检查是否选错了文件。"));
    }
    function show(text) {
      var releases = releasesOf(form);
      var check = window.HandbookReceipts.check(releases, text, chinaToday());
      if (check.tooLong) refuse("收到 " + text.length.toLocaleString("en-US") + " 个字符");
      else showCheck(result, releases, base, check);
    }
    form.addEventListener("submit", function (ev) { ev.preventDefault(); show(form.elements.receipt.value); });
    form.querySelector('input[type="file"]').addEventListener("change", function (ev) {
      var file = ev.target.files[0];
      if (!file) return;
      // UTF-8 takes at most 4 bytes a character: a larger file is over the limit, unread.
      if (file.size > 4 * limit) {
        refuse("文件 " + (file.size / 1048576).toFixed(1) + " MB");
        return;
      }
      file.text().then(function (t) {
        if (t.length <= limit) form.elements.receipt.value = t;
        show(t);
      });
    });
  }

  // --- changed since the last visit --------------------------------------------------------
  function initSeen(root) {
    var marker = root.querySelector("[data-doc-seen]");
    if (!marker) return;
    var seen = loadVersions(KEY_SEEN);
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
    [initRole, initPath, initQuiz, initCheck, initSeen].forEach(function (part) {
      try { part(document); } catch (e) { if (window.console) console.error(e); }
    });
  }

  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
