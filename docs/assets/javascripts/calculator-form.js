/*
 * A calculator's form as values (window.HandbookCalc): read as typed for Python, and
 * written back from a shared link.
 */
(function () {
  "use strict";

  var C = window.HandbookCalc;

  function fieldTypes(prop) {
    var types = Array.isArray(prop.type) ? prop.type : [prop.type];
    return { all: types, main: types.filter(function (t) { return t !== "null"; })[0] };
  }

  // Form -> {field name: value as typed}: strings for text boxes and lists, booleans for
  // checkboxes, lists of codes for checkbox groups; nested fields as "parent.child".
  function readRaw(form, schema, prefix, out) {
    Object.keys(schema.properties).forEach(function (key) {
      var prop = schema.properties[key];
      var name = prefix + key;
      var type = fieldTypes(prop).main;
      if (type === "object") { readRaw(form, prop, name + ".", out); return; }
      if (type === "array" && prop.items && prop.items.type === "object") return;  // uploaded as a file
      if (type === "array" && prop.items && prop.items.enum) {
        out[name] = Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]:checked'))
          .map(function (box) { return box.value; });
        return;
      }
      var control = form.elements[name];
      if (!control) return;
      out[name] = control.type === "checkbox" ? control.checked : control.value;
    });
    return out;
  }

  function readForm(root) {
    return readRaw(root.querySelector("form"), JSON.parse(root.dataset.schema), "", {});
  }

  // Values back into the form (a shared link's fragment).
  function writeForm(root, raw) {
    var form = root.querySelector("form");
    Object.keys(raw).forEach(function (name) {
      var value = raw[name];
      var boxes = form.querySelectorAll('input[type="checkbox"][name="' + CSS.escape(name) + '"]');
      if (boxes.length && boxes[0].closest(".calc__field--choices")) {
        var codes = Array.isArray(value) ? value : String(value).split(",");
        boxes.forEach(function (b) { b.checked = codes.indexOf(b.value) >= 0; });
      } else if (boxes.length === 1) {
        boxes[0].checked = value === true || value === "true" || value === "1";
      } else if (form.elements[name]) {
        form.elements[name].value = String(value);
        var group = form.elements[name].closest("details");
        if (group && value !== "") group.open = true;
      }
    });
  }

  C.fieldTypes = fieldTypes;
  C.readForm = readForm;
  C.writeForm = writeForm;
})();
