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
  function fields(root) {
    return Array.prototype.filter.call(root.querySelectorAll("form [data-kind]"), function (field) {
      return field.dataset.kind !== "group" && field.dataset.kind !== "upload";
    });
  }

  // Form -> {field name: value as typed}: strings for text boxes and lists, booleans for
  // checkboxes, lists of codes for checkbox groups; nested fields as "parent.child".
  function readForm(root) {
    var form = root.querySelector("form");
    var out = {};
    fields(root).forEach(function (field) {
      var name = field.dataset.field;
      if (field.dataset.kind === "choices") {
        out[name] = Array.prototype.map.call(field.querySelectorAll('input[type="checkbox"]:checked'),
          function (box) { return box.value; });
        return;
      }
      var control = form.elements[name];
      if (!control) return;
      out[name] = field.dataset.kind === "boolean" ? control.checked : control.value;
    });
    return out;
  }

  // Values back into the form (a shared link's fragment).
  function writeForm(root, raw) {
    var form = root.querySelector("form");
    fields(root).forEach(function (field) {
      var name = field.dataset.field;
      if (!(name in raw)) return;
      var value = raw[name];
      if (field.dataset.kind === "choices") {
        var codes = Array.isArray(value) ? value : String(value).split(",");
        field.querySelectorAll('input[type="checkbox"]').forEach(function (b) { b.checked = codes.indexOf(b.value) >= 0; });
      } else if (field.dataset.kind === "boolean") {
        form.elements[name].checked = value === true || value === "true" || value === "1";
      } else if (form.elements[name]) {
        form.elements[name].value = String(value);
        var group = form.elements[name].closest("details");
        if (group && value !== "") group.open = true;
      }
    });
  }

  C.fields = fields;
  C.readForm = readForm;
  C.writeForm = writeForm;
})();
