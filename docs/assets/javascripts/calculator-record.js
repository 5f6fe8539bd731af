/*
 * The printed 计算记录 of a calculator's last answer (window.HandbookCalc): what was typed
 * and how it was read, the answer, what would change it, each check, and for a tiering the
 * ranked list (tiering.js). Printed alone: the print styles hide the page around it.
 */
(function () {
  "use strict";

  var C = window.HandbookCalc;
  var el = C.el;
  var shown = C.shown;
  var columnsTable = C.columnsTable;
  var policyText = C.policyText;

  // The codes of a drop-down or a checkbox group with the words the form shows for them.
  /** @param {HTMLElement} field @returns {Record<string, string>} */
  function codeLabels(field) {
    /** @type {Record<string, string>} */
    var labels = {};
    field.querySelectorAll("option").forEach(function (o) { if (o.value) labels[o.value] = o.textContent; });
    field.querySelectorAll('input[type="checkbox"][value]').forEach(/** @param {HTMLInputElement} box */ function (box) {
      labels[box.value] = box.closest("label").querySelector("span").textContent;
    });
    return labels;
  }

  /** @param {unknown} data @param {string} path @returns {unknown} */
  function valueAt(data, path) {
    return path.split(".").reduce(function (d, k) { return d && typeof d === "object" ? d[k] : undefined; }, data);
  }

  /** @param {unknown} value @param {Record<string, string>} labels */
  function typedText(value, labels) {
    if (value === true) return "是";
    if (value === false) return "否";
    if (Array.isArray(value)) return value.length ? value.map(function (v) { return labels[v] || v; }).join("；") : "无";
    if (value === null) return "未设";
    return labels[String(value)] || shown(value);
  }

  /** @param {Date} d */
  function stamp(d) {
    /** @param {number} n */
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " +
      two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
  }

  /** @param {CalculatorRoot} root */
  function recordNode(root) {
    var last = root.lastAnswer;
    var result = last.result;
    /** @type {ClauseLinks} */
    var clauses = JSON.parse(root.dataset.clauses);
    var rec = el("section", "calc-record");
    rec.append(el("h1", null, "计算记录：" + root.dataset.title));
    var meta = el("p", "calc-record__meta");
    meta.append(el("span", null, "计算时间：" + stamp(last.at)), el("br"),
      el("span", null, result.policy ? policyText(result.policy) : ""), el("br"),
      el("span", null, "页面：" + location.href.split("#")[0]));
    if (last.file) meta.append(el("br"), el("span", null, "所用文件：" + last.file));
    rec.append(meta);
    var read = result.form_input || {};
    // Each field by the label the form gives it (data-label: title and unit).
    var inputs = C.fields(root).filter(function (f) { return f.dataset.field in last.raw; }).map(function (f) {
      var tr = el("tr");
      var labels = codeLabels(f);
      var typed = last.raw[f.dataset.field];
      var readValue = valueAt(read, f.dataset.field);
      tr.append(el("td", null, f.dataset.label), el("td", null, typeof typed === "string" ? (typed.trim() || "（未填）") : typedText(typed, labels)),
        el("td", null, readValue === undefined ? "（按默认）" : typedText(readValue, labels)));
      return tr;
    });
    if (inputs.length) rec.append(el("h2", null, "所填内容"), columnsTable("calc-record__inputs", ["项目", "所填", "按此计算"], inputs));
    rec.append(el("h2", null, "结论"));
    rec.append(el("p", "calc-record__answer", (result.headline || "") + (result.reason ? "。" + result.reason : "")));
    if (result.what_would_change) {
      rec.append(el("h2", null, "怎样才能" + result.what_would_change.better));
      var needs = el("ul");
      result.what_would_change.needs.forEach(function (n) {
        needs.append(el("li", null, n.text + "（" + ((clauses[n.clause] || {}).label || n.clause) + "）"));
      });
      rec.append(needs);
    }
    if (result.checks && result.checks.length) {
      rec.append(el("h2", null, "逐项检查"));
      rec.append(columnsTable("calc-record__checks", ["条款", "检查项", "实际情况", "要求", "结果"],
        result.checks.map(function (c) {
          var tr = el("tr");
          // The label and what it says (a tie names its customers in the text, KH-02 第十条).
          var what = c.text && c.label && c.text !== c.label ? c.label + "：" + c.text : c.label || c.text;
          tr.append(el("td", null, (clauses[c.clause] || {}).label || c.clause), el("td", null, what),
            el("td", null, shown(c.actual)), el("td", null, shown(c.required)), el("td", null, c.verdict));
          return tr;
        })));
    }
    if (last.tiering) rec.append(window.HandbookTiering.record(last, columnsTable));
    rec.append(el("p", "calc-record__note", "本记录由手册网站的计算器生成，结论以所引条款的现行版本为准。"));
    return rec;
  }

  // Print only the record: it is put beside the page (a direct child of body) and the print
  // styles hide everything else while html has .calc-printing.
  /** @param {CalculatorRoot} root */
  function printRecord(root) {
    document.querySelectorAll("body > .calc-record").forEach(function (n) { n.remove(); });
    var rec = recordNode(root);
    document.body.append(rec);
    document.documentElement.classList.add("calc-printing");
    function done() {
      document.documentElement.classList.remove("calc-printing");
      rec.remove();
      window.removeEventListener("afterprint", done);
    }
    window.addEventListener("afterprint", done);
    window.print();
  }

  C.printRecord = printRecord;
})();
