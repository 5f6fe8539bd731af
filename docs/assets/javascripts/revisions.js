/*
 * Revisions in the page: each version's state on the day the page is read (现行 / 将于 …
 * 生效 / 已被替代, in China time, by the same rule as handbook/revision_pages.py `status`),
 * filtering the change register (变更通告) and the point-in-time page (时点查询), both with
 * their choices in the address so a view can be shared. (The comparison picker, 版本对照,
 * is compare.js.)
 */
(function () {
  "use strict";

  // Today in China (UTC+8 all year), whatever the reader's own time zone.
  function chinaToday() {
    return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  }

  // revs: [[version, effective, href], ...] oldest first; ISO dates compare as text.
  function status(revs, version, day) {
    var k = revs.findIndex(function (r) { return r[0] === version; });
    if (k < 0) return null;
    var rev = revs[k], limit = day > rev[1] ? day : rev[1];
    for (var j = k + 1; j < revs.length; j++) {
      if (revs[j][1] <= limit) return { state: "superseded", text: "已被替代（由第 " + revs[j][0] + " 版替代）" };
    }
    if (rev[1] > day) {
      var until = null;
      revs.forEach(function (r) { if (r[1] <= day) until = r; });
      var tail = k !== revs.length - 1 ? "" : until ? "；在此之前适用第 " + until[0] + " 版" : "；在此之前尚无生效版本";
      return { state: "pending", text: "将于 " + rev[1] + " 生效" + tail, until: until && k === revs.length - 1 ? until : null };
    }
    return { state: "current", text: "现行" };
  }

  var BANNER = { superseded: "danger", pending: "warning", current: "success" };

  function showStatus(span, day) {
    var revs = JSON.parse(span.dataset.revisionStatus);
    var s = status(revs, span.dataset.version, day);
    if (!s) return;
    span.dataset.state = s.state;
    // Dates kept whole on one line (a narrow 状态 column wraps the words around them).
    span.replaceChildren.apply(span, s.text.replace(/第 [^ ]+ 版$/, "").split(/(\d{4}-\d{2}-\d{2})/).map(function (part, i) {
      if (i % 2 === 0) return part;
      var date = document.createElement("span");
      date.className = "revision-status__date";
      date.textContent = part;
      return date;
    }));
    if (s.until) {   // name the version that applies until then, linked when we know its page
      var label = "第 " + s.until[0] + " 版";
      if (s.until[2]) {
        var a = document.createElement("a");
        a.href = s.until[2];
        a.textContent = label;
        span.append(a);
      } else {
        span.append(label);
      }
    }
    if (s.state === "superseded" && "nameInForce" in span.dataset) {
      // A version page: which version is in force now, unless it is the one that replaced it.
      var now = null;
      revs.forEach(function (r) { if (r[1] <= day) now = r; });
      if (now && s.text.indexOf("第 " + now[0] + " 版") < 0) {
        var link = document.createElement(now[2] ? "a" : "span");
        if (now[2]) link.href = now[2];
        link.textContent = "第 " + now[0] + " 版";
        span.append("；现行版本为", link);
      }
    }
    var banner = span.closest("[data-revision-banner]");
    if (banner) {
      banner.dataset.revisionState = s.state;
      Object.keys(BANNER).forEach(function (k) { banner.classList.toggle(BANNER[k], k === s.state); });
    }
  }

  // A date as a number (YYYYMMDD, any number of year digits), so that a year 12025 comes
  // after 2026 (as text it would come before); null for anything else.
  function dateKey(text) {
    var m = /^(\d{4,6})-(\d{2})-(\d{2})$/.exec(text || "");
    return m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : null;
  }

  // The form's choices in the address (?document=&part=&from=&to=), so a filtered view is
  // shared as a link; read back when the page opens.
  var FILTERS = ["document", "part", "from", "to"];

  function changeFilter(form) {
    var table = document.querySelector("[data-changes]");
    var empty = form.parentNode.querySelector(".changes__empty");
    var f = form.elements, query = new URLSearchParams(location.search);
    FILTERS.forEach(function (name) {
      var v = query.get(name);
      if (v === null) return;
      if (f[name].tagName === "SELECT" && !Array.prototype.some.call(f[name].options, function (o) { return o.value === v; })) return;
      f[name].value = v;
    });
    function apply() {
      var shown = 0, from = dateKey(f.from.value), to = dateKey(f.to.value);
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var d = tr.dataset, day = dateKey(d.released);
        var ok = (!f.document.value || d.document === f.document.value) &&
          (!f.part.value || d.part === f.part.value) &&
          (from === null || day >= from) && (to === null || day <= to);
        tr.hidden = !ok;
        if (ok) shown++;
      });
      form.querySelector(".changes__count").textContent = "共 " + shown + " 条";
      if (empty) empty.hidden = shown > 0;
      var url = new URL(location.href), params = new URLSearchParams();
      FILTERS.forEach(function (name) { if (f[name].value) params.set(name, f[name].value); });
      url.search = params.toString() ? "?" + params.toString() : "";
      if (url.href !== location.href) history.replaceState(history.state, "", url.href);
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    apply();
  }

  function cell(text, href) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.append(a);
    } else {
      td.textContent = text;
    }
    return td;
  }

  function pointInTime(form) {
    var data = JSON.parse(form.dataset.pointInTime);
    var table = form.nextElementSibling;
    var wanted = new URLSearchParams(location.search).get("date");
    form.elements.date.value = dateKey(wanted) !== null ? wanted : chinaToday();
    function answer() {
      var day = form.elements.date.value, key = dateKey(day);
      var body = table.querySelector("tbody");
      body.replaceChildren();
      Object.keys(data).forEach(function (number) {
        var doc = data[number], inForce = null;
        doc.revisions.forEach(function (r) { if (dateKey(r.effective) <= key) inForce = r; });
        var tr = document.createElement("tr");
        tr.dataset.document = number;
        tr.dataset.version = inForce ? inForce.version : "";
        // Nothing in force that day: nothing to compute by.
        tr.append(cell(number + " " + doc.title, doc.page),
          inForce ? cell("第 " + inForce.version + " 版", inForce.page) : cell("尚未生效"),
          cell(inForce ? inForce.effective : "—"),
          doc.calculators && inForce ? cell("按 " + day + " 计算", doc.page + "?as_of=" + day) : cell(""));
        body.append(tr);
      });
      table.hidden = false;
      var url = new URL(location.href);
      url.searchParams.set("date", day);
      if (url.href !== location.href) history.replaceState(history.state, "", url.href);
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (dateKey(form.elements.date.value) !== null) answer();
    });
    if (wanted && dateKey(wanted) !== null) answer();
  }

  // For the tests: the same rule as the build's, checked against it.
  window.HandbookRevisions = { status: status, chinaToday: chinaToday, show: showStatus };

  function init() {
    var day = chinaToday();
    document.querySelectorAll("[data-revision-status]").forEach(function (s) { showStatus(s, day); });
    document.querySelectorAll("[data-changes-filter]").forEach(changeFilter);
    document.querySelectorAll("[data-point-in-time]").forEach(pointInTime);
  }

  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
