/*
 * A calculator's form as values (window.HandbookCalc): read as typed for Python, and
 * written back from a shared link.
 */
(function () {
  "use strict";

  var C = window.HandbookCalc;

  // Each field of the form says its kind (data-kind, calc.form_input.field_kind at build
  // time) and its name (data-field); a group's fields are fields of their own, and a file
  // is sent as itself (calculator-upload.js).
  /** @param {CalculatorRoot} root @returns {HTMLElement[]} */
  function fields(root) {
    return Array.prototype.filter.call(root.querySelectorAll("form [data-kind]"), /** @param {HTMLElement} field */ function (field) {
      return field.dataset.kind !== "group" && field.dataset.kind !== "upload";
    });
  }

  // Form -> {field name: value as typed}: strings for text boxes and lists, booleans for
  // checkboxes, lists of codes for checkbox groups; nested fields as "parent.child".
  /** @param {CalculatorRoot} root @returns {RawForm} */
  function readForm(root) {
    var form = root.querySelector("form");
    /** @type {RawForm} */
    var out = {};
    fields(root).forEach(function (field) {
      var name = field.dataset.field;
      if (field.dataset.kind === "choices") {
        out[name] = Array.prototype.map.call(field.querySelectorAll('input[type="checkbox"]:checked'),
          /** @param {HTMLInputElement} box */ function (box) { return box.value; });
        return;
      }
      var control = /** @type {HTMLInputElement | undefined} */ (form.elements[name]);
      if (!control) return;
      out[name] = field.dataset.kind === "boolean" ? control.checked : control.value;
    });
    return out;
  }

  // Values back into the form (a shared link's fragment).
  /** @param {CalculatorRoot} root @param {Record<string, string | boolean | string[]>} raw */
  function writeForm(root, raw) {
    var form = root.querySelector("form");
    fields(root).forEach(function (field) {
      var name = field.dataset.field;
      if (!(name in raw)) return;
      var value = raw[name];
      var control = /** @type {HTMLInputElement | undefined} */ (form.elements[name]);
      if (field.dataset.kind === "choices") {
        var codes = Array.isArray(value) ? value : String(value).split(",");
        field.querySelectorAll("input").forEach(function (b) { b.checked = codes.indexOf(b.value) >= 0; });
      } else if (field.dataset.kind === "boolean") {
        control.checked = value === true || value === "true" || value === "1";
      } else if (control) {
        control.value = String(value);
        var group = control.closest("details");
        if (group && value !== "") group.open = true;
      }
    });
  }

  C.fields = fields;
  C.readForm = readForm;
  C.writeForm = writeForm;
})();
