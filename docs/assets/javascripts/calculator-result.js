/*
 * A calculator's result (window.HandbookCalc): the conclusion and its reason, what would
 * change it, the checks table with each clause, the release, the version cited and the
 * buttons under it; marked out of date as soon as the form is edited.
 */
(function () {
  "use strict";

  var C = window.HandbookCalc;
  var el = C.el;
  var clauseLink = C.clauseLink;
  var shown = C.shown;
  var columnsTable = C.columnsTable;
  var policyText = C.policyText;
  var outcomeText = C.outcomeText;

  /** @param {CalculatorRoot} root */
  function clearResult(root) {
    var box = root.querySelector(".calc__result");
    box.querySelectorAll(".calc__download").forEach(/** @param {HTMLAnchorElement} a */ function (a) { URL.revokeObjectURL(a.href); });
    box.replaceChildren();
    box.hidden = true;
    box.removeAttribute("data-outcome");
    delete box.dataset.stale;
    root.lastAnswer = null;
  }

  // The form no longer says what the result answered: say so at once, and drop the
  // machine-readable answer so no one (or no script) takes it as current.
  /** @param {CalculatorRoot} root */
  function markStale(root) {
    var box = root.querySelector(".calc__result");
    if (box.hidden || box.dataset.stale) return;
    box.dataset.stale = "1";
    box.removeAttribute("data-outcome");
    box.prepend(el("p", "calc__stale", "所填内容已修改，下面的结果不再对应当前内容，请重新计算。"));
  }

  var CHECK_HEADINGS = ["条款", "检查项", "实际情况", "要求", "结果"];

  /** @param {ClauseLinks} clauses @param {CalcCheck} c */
  function checkRow(clauses, c) {
    var tr = el("tr", "calc__row calc__row--" + c.status.replace("/", ""));
    tr.dataset.check = c.id;
    tr.dataset.status = c.status;
    if (c.kind) tr.dataset.kind = c.kind;
    var clause = el("td");
    clause.append(clauseLink(clauses, c.clause));
    var what = el("td");
    what.append(el("span", "calc__label", c.label || c.text));
    if (c.text && c.label && c.text !== c.label) what.append(el("span", "calc__note", c.text));
    var cells = [clause, what, el("td", null, shown(c.actual)), el("td", null, shown(c.required)),
      el("td", "calc__verdict", c.verdict)];
    cells.forEach(function (td, i) { td.dataset.label = CHECK_HEADINGS[i]; });
    tr.append.apply(tr, cells);
    return tr;
  }

  /** @param {CalculatorRoot} root @param {CalcResult} result */
  function showResult(root, result) {
    /** @type {ClauseLinks} */
    var clauses = JSON.parse(root.dataset.clauses);
    var box = root.querySelector(".calc__result");
    clearResult(root);
    var answer = outcomeText(result[root.dataset.outcomeField]);
    var labels = JSON.parse(root.dataset.outcomeLabels || "{}");
    var outcome = el("p", "calc__outcome");
    outcome.append(el("span", "calc__outcome-label", "结论："),
      el("strong", "calc__outcome-value", result.headline || labels[answer] || answer));
    if (result.reason) outcome.append(el("span", "calc__reason", result.reason));
    box.append(outcome);
    if (result.what_would_change) box.append(changeBlock(clauses, result.what_would_change));
    if (result.checks && result.checks.length) {
      box.append(columnsTable("calc__checks", CHECK_HEADINGS,
        result.checks.map(function (c) { return checkRow(clauses, c); })));
    }
    if (result.release) {
      var release = el("p", "calc__release");
      release.append(el("strong", null, "放行：" + result.release.by + "（"), clauseLink(clauses, result.release.clause),
        el("strong", null, "）"), el("span", null, result.release.ground + "（"), clauseLink(clauses, result.release.ground_clause),
        el("span", null, "）"));
      box.append(release);
    }
    if (result.policy) box.append(el("p", "calc__policy", policyText(result.policy)));
    box.append(resultActions(root));
    box.dataset.outcome = answer;
    box.hidden = false;
    root.lastAnswer = { result: result, raw: root.pendingRaw || C.readForm(root), at: new Date() };
    root.dispatchEvent(new CustomEvent("handbook:calc-result", { bubbles: true }));  // form-handoff.js
  }

  // What would change the answer (calc.engine.change): the next better outcome and each
  // thing that would have to be different, with its clause.
  /** @param {ClauseLinks} clauses @param {CalcChange} change */
  function changeBlock(clauses, change) {
    var block = el("div", "calc__change");
    block.append(el("p", "calc__change-title", "要" + change.better + "，须："));
    var list = el("ul");
    change.needs.forEach(function (n) {
      var li = el("li", null, n.text + "（");
      li.append(clauseLink(clauses, n.clause), "）");
      list.append(li);
    });
    block.append(list);
    return block;
  }

  /** @param {CalculatorRoot} root */
  function resultActions(root) {
    var bar = el("div", "calc__result-actions");
    var print = el("button", "md-button calc__print", "打印计算记录");
    print.type = "button";
    print.addEventListener("click", function () { C.printRecord(root); });
    bar.append(print);
    if (!root.dataset.upload) bar.append.apply(bar, C.shareControls(root));
    return bar;
  }

  C.clearResult = clearResult;
  C.markStale = markStale;
  C.showResult = showResult;
})();
