/*
 * Swimlanes (handbook/tables.py lanes(), part of the released text, so left as rendered):
 * a line above a wide one says it scrolls sideways, and data-more (right | left | both)
 * shades the side where lanes are hidden; the lane names stay in sight (sticky, CSS). On a
 * phone the step table that follows every swimlane is shown instead (CSS): here it gets
 * the process's title and, per cell, its column's name, so a step reads as a card.
 */
(function () {
  "use strict";

  function more(lanes) {
    var left = lanes.scrollLeft > 1, right = lanes.scrollLeft + lanes.clientWidth < lanes.scrollWidth - 1;
    var state = left && right ? "both" : left ? "left" : right ? "right" : "";
    if (lanes.dataset.more !== state) lanes.dataset.more = state;
    var hint = lanes.previousElementSibling;
    if (hint && hint.classList.contains("lanes__hint")) hint.hidden = !state;
  }

  function stepTable(lanes) {
    for (var n = lanes.nextElementSibling; n; n = n.nextElementSibling) {
      var table = n.tagName === "TABLE" ? n : n.querySelector("table");
      if (table) return table;
      if (n.matches("h1, h2, h3, h4, .lanes")) return null;
    }
    return null;
  }

  function setUp(lanes) {
    if (lanes.dataset.lanesBound) return;
    lanes.dataset.lanesBound = "1";
    var roles = lanes.querySelectorAll("thead th").length;
    var hint = document.createElement("p");
    hint.className = "lanes__hint";
    hint.textContent = "共 " + roles + " 个岗位，表格较宽：请左右滚动查看（也可用 Shift+滚轮或方向键）";
    lanes.before(hint);
    lanes.addEventListener("scroll", function () { more(lanes); }, { passive: true });
    more(lanes);

    var steps = stepTable(lanes), caption = lanes.querySelector("caption");
    if (!steps || steps.hasAttribute("data-lane-steps")) return;
    steps.setAttribute("data-lane-steps", "");
    if (caption && !steps.querySelector("caption")) {
      var c = document.createElement("caption");
      c.className = "lanes-steps__caption";
      c.textContent = caption.textContent;
      steps.prepend(c);
    }
    var heads = Array.prototype.map.call(steps.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    steps.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) { if (heads[i]) td.dataset.label = heads[i]; });
    });
  }

  function init() {
    document.querySelectorAll(".md-content .lanes").forEach(setUp);
  }

  window.addEventListener("resize", function () { document.querySelectorAll(".lanes[data-lanes-bound]").forEach(more); });
  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
