/*
 * A calculator's errors (window.HandbookCalc): the message above the result, and each bad
 * field marked where it is (red outline, aria-invalid, its message under it).
 */
(function () {
  "use strict";

  var C = window.HandbookCalc;
  var el = C.el;

  /** @param {CalculatorRoot} root @param {string} message @param {string[]} [list] */
  function showError(root, message, list) {
    var box = root.querySelector(".calc__error");
    box.replaceChildren();
    if (list && list.length > 1) {
      var ul = el("ul");
      list.forEach(function (m) { ul.append(el("li", null, m)); });
      box.append(el("p", null, message), ul);
    } else {
      box.textContent = message;
    }
    box.hidden = false;
  }

  /** @param {CalculatorRoot} root */
  function hideError(root) {
    var box = root.querySelector(".calc__error");
    box.hidden = true;
    box.replaceChildren();
  }

  // "holidays[0]" -> the holidays box; "thresholds.max_overdue_share" -> that box; a
  // checkbox group -> its fieldset.
  /** @param {CalculatorRoot} root @param {string | null} path @returns {HTMLElement | null} */
  function controlFor(root, path) {
    if (!path) return null;
    var name = String(path).replace(/\[\d+\]/g, "");
    while (name) {
      var c = /** @type {HTMLInputElement | null} */ (root.querySelector('form [name="' + CSS.escape(name) + '"]'));
      if (c) return c.type === "checkbox" && c.closest(".calc__field--choices") ? c.closest("fieldset") : c;
      var cut = name.lastIndexOf(".");
      if (cut < 0) return null;
      name = name.slice(0, cut);
    }
    return null;
  }

  /** @param {HTMLElement | null} control */
  function unmarkField(control) {
    if (!control || control.getAttribute("aria-invalid") !== "true") return;
    control.removeAttribute("aria-invalid");
    var msg = document.getElementById(control.dataset.errorId);
    if (msg) msg.remove();
    control.setAttribute("aria-describedby", control.dataset.describedby || "");
    if (!control.dataset.describedby) control.removeAttribute("aria-describedby");
    delete control.dataset.errorId;
    delete control.dataset.describedby;
  }

  /** @param {CalculatorRoot} root */
  function clearFieldErrors(root) {
    root.querySelectorAll("form [aria-invalid=\"true\"]").forEach(function (c) { unmarkField(/** @type {HTMLElement} */ (c)); });
  }

  // Red outline, aria-invalid, the message under the field (aria-describedby), focus on
  // the first bad field. Returns the number of fields marked.
  /** @param {CalculatorRoot} root @param {CalcFieldError[]} errors */
  function markFieldErrors(root, errors) {
    /** @type {HTMLElement | null} */
    var first = null;
    var marked = 0;
    errors.forEach(function (e, i) {
      var control = controlFor(root, e.field);
      if (!control || control.getAttribute("aria-invalid") === "true") return;
      var msg = el("p", "calc__field-error", e.message);
      msg.id = (control.id || "calc-" + root.dataset.calculator + "-f" + i) + "-error";
      if (control.tagName === "FIELDSET") control.querySelector("legend").after(msg);
      else (control.closest(".calc__control") || control).after(msg);
      control.dataset.errorId = msg.id;
      control.dataset.describedby = control.getAttribute("aria-describedby") || "";
      control.setAttribute("aria-describedby", (msg.id + " " + control.dataset.describedby).trim());
      control.setAttribute("aria-invalid", "true");
      marked += 1;
      if (!first) first = control;
    });
    if (first) {
      var group = first.closest("details");
      if (group) group.open = true;
      var focusable = first.tagName === "FIELDSET" ? first.querySelector("input") : first;
      focusable.focus();
    }
    return marked;
  }

  C.showError = showError;
  C.hideError = hideError;
  C.unmarkField = unmarkField;
  C.clearFieldErrors = clearFieldErrors;
  C.markFieldErrors = markFieldErrors;
})();
