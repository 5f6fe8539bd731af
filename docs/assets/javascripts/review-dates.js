/*
 * Review dates on the day the page is read (China time): the register's table of reviews
 * overdue or due within the window (handbook/reviews.py, which also sets the build day's
 * state for readers without script), and a document page's "已过复审日期".
 */
(function () {
  "use strict";

  var LABELS = { overdue: "已逾期", due: "即将到期", ok: "—" };

  function chinaToday() {
    return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  }

  function daysBetween(a, b) {   // ISO dates: whole days from a to b
    return Math.round((Date.parse(b + "T00:00:00Z") - Date.parse(a + "T00:00:00Z")) / 86400000);
  }

  function state(next, today, windowDays) {
    if (next < today) return "overdue";
    return daysBetween(today, next) <= windowDays ? "due" : "ok";
  }

  function schedule(root, today) {
    var windowDays = Number(root.dataset.reviewWindow || 60), shown = 0;
    root.querySelectorAll("tr[data-review-next]").forEach(function (row) {
      var s = state(row.dataset.reviewNext, today, windowDays);
      row.dataset.reviewState = s;
      row.hidden = s === "ok";
      var label = row.querySelector("[data-review-label]");
      if (label) label.textContent = LABELS[s];
      if (s !== "ok") shown += 1;
    });
    var none = root.querySelector("[data-review-none]");
    if (none) none.hidden = shown > 0;
  }

  function documentPage(el, today) {
    var past = el.dataset.reviewNext < today;
    el.dataset.reviewState = past ? "overdue" : "ok";
    var note = el.querySelector("[data-review-overdue]");
    if (note) note.hidden = !past;
  }

  function init() {
    var today = chinaToday();
    document.querySelectorAll("[data-review-schedule]").forEach(function (r) { schedule(r, today); });
    document.querySelectorAll("[data-review-doc]").forEach(function (e) { documentPage(e, today); });
  }

  window.HandbookReviews = { state: state };
  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
