/*
 * The handbook's calculators in the page.
 *
 * Python runs in a module Web Worker on the site's own copy of Pyodide, so the page never
 * freezes and nothing leaves the browser. The worker boots only on pages that contain a
 * calculator, as soon as such a page opens, and lives on across Material's instant
 * navigation (this script runs once per visit; document$ emits on every page).
 *
 * Stable hooks: [data-calculator] root with data-state = loading | ready | error; inputs
 * named after the JSON fields; .calc__result gets data-outcome once computed.
 *
 * This file binds each calculator: its form's events, a calculation run. The parts it uses
 * come before it, each with one job (window.HandbookCalc): calculator-dom.js (builders),
 * calculator-errors.js, calculator-status.js, calculator-form.js (values),
 * calculator-share.js, calculator-record.js (计算记录), calculator-result.js,
 * calculator-upload.js (tiering.js's file).
 */
(function () {
  "use strict";

  // Python and its worker live in calc-runtime.js (window.HandbookRuntime, shared with the
  // comparison page): boot, time limits, restarts. This file is the forms and their results.
  var runtime = window.HandbookRuntime;
  var C = window.HandbookCalc;

  /** @returns {NodeListOf<CalculatorRoot>} */
  function calculators() {
    return document.querySelectorAll("[data-calculator]");
  }

  runtime.onState(function (state, error) {
    calculators().forEach(function (root) {
      C.showState(root, state, error);
    });
  });

  var send = runtime.send;

  // The form's strings as typed go to Python (calc/form_input.py reads "1.5万", "2026年9月30日"
  // by each field's kind), so the page and the command line share one reader and one set of
  // messages.
  /** @param {string} name @param {RawForm} raw @returns {Promise<CalcAnswer>} */
  function callForm(name, raw) {
    return send({ type: "form", name: name, input: JSON.stringify(raw) });
  }

  /** @param {CalcAnswer} answer @returns {answer is CalcRefusal} */
  function refused(answer) {
    return !!answer.error;
  }

  // --- running a calculation ----------------------------------------------------------------

  /** @param {CalculatorRoot} root */
  function submitForm(root) {
    var raw = C.readForm(root);
    root.dirtyDuringRun = false;
    C.setBusy(root, true);
    callForm(root.dataset.calculator, raw).then(function (result) {
      if (refused(result)) {
        C.clearResult(root);
        var errors = result.errors || [{ field: result.field, message: result.error }];
        C.showError(root, errors.length > 1 ? "请修改标出的 " + errors.length + " 处：" : result.error,
          errors.map(function (e) { return e.message; }));
        C.setBusy(root, false);
        C.markFieldErrors(root, errors);
        return;
      }
      root.pendingRaw = raw;
      C.showResult(root, result);
      root.pendingRaw = null;
      if (root.dirtyDuringRun) C.markStale(root);
    }, function (e) {
      C.clearResult(root);
      C.showError(root, "计算失败：" + e.message + "。所填内容已保留。");
    }).finally(function () {
      C.setBusy(root, false);
      C.showState(root, runtime.state(), runtime.error());   // a failed engine: its cause and 重试
    });
  }

  /** @param {CalculatorRoot} root */
  function attach(root) {
    if (root.dataset.bound) return;
    root.dataset.bound = "1";
    runtime.boot();
    C.showState(root, runtime.state(), runtime.error());
    var form = root.querySelector("form");
    var file = /** @type {HTMLInputElement | null} */ (root.querySelector('input[type="file"]'));
    if (file) {
      file.addEventListener("change", function () {
        // A new file: the old table and its download no longer apply, whatever happens next.
        C.clearResult(root);
        C.hideError(root);
        C.clearFieldErrors(root);
        if (file.files.length) form.requestSubmit();
      });
    }
    function edited(ev) {
      if (ev.target === file) return;
      if (root.getAttribute("aria-busy") === "true") root.dirtyDuringRun = true;
      C.unmarkField(ev.target.closest('[aria-invalid="true"]'));
      C.markStale(root);
    }
    form.addEventListener("input", edited);
    form.addEventListener("change", edited);
    form.addEventListener("reset", function () { C.clearResult(root); C.hideError(root); C.clearFieldErrors(root); });
    // A date picker beside a date box: the box keeps the typed forms (2026年9月30日 too).
    root.querySelectorAll(".calc__datepick").forEach(/** @param {HTMLInputElement} picker */ function (picker) {
      picker.addEventListener("change", function () {
        var box = /** @type {HTMLInputElement} */ (document.getElementById(picker.dataset.for));
        if (!picker.value) return;
        box.value = picker.dataset.append && box.value.trim() ? box.value.trim() + ", " + picker.value : picker.value;
        box.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (root.getAttribute("aria-busy") === "true") return;
      C.hideError(root);
      C.clearFieldErrors(root);
      if (runtime.state() === "error") { C.clearResult(root); C.showState(root, "error", runtime.error()); return; }
      if (runtime.state() === "loading") {
        root.querySelector(".calc__status").textContent = "加载中（完成后自动计算）";
      }
      if (root.dataset.upload) C.submitUpload(root);
      else submitForm(root);
    });
    var shared = C.sharedInputs(root);
    // ?as_of=YYYY-MM-DD (the point-in-time page's link): the day whose rules apply.
    var asOf = new URLSearchParams(location.search).get("as_of");
    var asOfInput = /** @type {HTMLInputElement | null} */ (form.querySelector('[name="as_of"]'));
    if (asOf && asOfInput && !shared) asOfInput.value = asOf;
    if (shared) fill(root, shared);
  }

  // Values into an empty form, then computed: a shared link, or a 案例's 试算 (examples.js).
  /** @param {CalculatorRoot} root @param {RawForm} raw */
  function fill(root, raw) {
    var form = /** @type {HTMLFormElement} */ (root.querySelector("form"));
    form.reset();
    C.writeForm(root, raw);
    root.scrollIntoView({ block: "start" });
    form.requestSubmit();
  }
  window.HandbookCalculator = { fill: fill };

  function init() {
    var start = performance.now();
    calculators().forEach(attach);
    // How long binding the forms took (the benchmark's second-page breakdown).
    if (performance.measure) performance.measure("calc:init", { start: start });
  }

  if (window.document$) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
