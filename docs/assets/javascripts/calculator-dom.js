/*
 * The calculators' scripts share one namespace, window.HandbookCalc, filled by the
 * calculator-*.js files in the order mkdocs.yml loads them (calculator.js, last, binds the
 * forms). This one: the small builders and text forms the others use.
 */
(function () {
  "use strict";

  var C = window.HandbookCalc = window.HandbookCalc || /** @type {HandbookCalc} */ ({});

  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {string | null} [className]
   * @param {unknown} [text]
   * @returns {HTMLElementTagNameMap[K]}
   */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** @param {ClauseLinks} clauses @param {string} id */
  function clauseLink(clauses, id) {
    var c = clauses[id];
    if (!c) return el("span", null, id);
    var a = el("a", "calc__clause", c.label);
    a.href = c.href;
    return a;
  }

  // A value as staff read it: lists with 、, nothing as —.
  /** @param {unknown} value @returns {string} */
  function shown(value) {
    if (value === null || value === undefined || value === "") return "—";
    if (Array.isArray(value)) return value.length ? value.map(shown).join("、") : "—";
    if (typeof value === "object") return Object.keys(value).map(function (k) { return k + " " + shown(value[k]); }).join("、");
    return String(value);
  }

  /** @param {string} className @param {string[]} headings @param {Node[]} rows */
  function columnsTable(className, headings, rows) {
    var table = el("table", className);
    var head = el("tr");
    headings.forEach(function (h) { head.append(el("th", null, h)); });
    var thead = el("thead");
    thead.append(head);
    var body = el("tbody");
    rows.forEach(function (r) { body.append(r); });
    table.append(thead, body);
    // Its own scroll box: a wide table never makes the page scroll sideways.
    var wrap = el("div", "calc__table-wrap");
    wrap.append(table);
    return wrap;
  }

  /** @param {CalcPolicy} p */
  function policyText(p) {
    return "依据：" + p.document + "《" + p.title + "》第 " + p.version + " 版" +
      (p.effective ? "（" + p.effective + " 起施行）" : "") + (p.as_of ? "，按 " + p.as_of + " 有效的版本" : "") +
      (p.note ? "。" + p.note : "");  // before the first version takes effect (calc.parameters.document)
  }

  // The main answer as one string: a letter, a decision, a date, or tier counts.
  /** @param {unknown} value */
  function outcomeText(value) {
    if (value && typeof value === "object") {
      return Object.keys(value).map(function (k) { return k + "=" + value[k]; }).join(" ");
    }
    return String(value);
  }

  C.el = el;
  C.clauseLink = clauseLink;
  C.shown = shown;
  C.columnsTable = columnsTable;
  C.policyText = policyText;
  C.outcomeText = outcomeText;
})();
