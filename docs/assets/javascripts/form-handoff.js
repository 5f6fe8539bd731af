/*
 * A calculator's answer handed to the form it belongs to (issue 22): under a result whose
 * calculator has a form (data-form-handoff, written by handbook/form_pages.py), a button
 * "填入《…》" opens the form's page with the inputs and the answer written in
 * (calc/form_prefill.py decides what goes where). The answer travels in this tab's
 * sessionStorage only, never over the network.
 *
 * calculator-result.js says a result is shown with the event "handbook:calc-result" on the
 * calculator's root; the answer itself is read when the button is pressed, so what was
 * added to it afterwards (an uploaded file's name, the tiering's ranked list) goes too.
 */
(function () {
  "use strict";

  var KEY = "handbook-form-handoff";

  function matches(when, result) {
    return Object.keys(when || {}).every(function (k) { return result[k] === when[k]; });
  }

  // The calculators' program: the wheel's content digest and version, from its address.
  /** @param {CalculatorRoot} root */
  function program(root) {
    var m = /wheels\/([0-9a-f]+)\/calc-([^-]+)-/.exec(root.dataset.wheel || "");
    return m ? "calc " + m[2] + "，" + m[1] : "";
  }

  function say(button, text) {
    var note = button.parentNode.querySelector(".calc__handoff-note");
    if (!note) {
      note = document.createElement("span");
      note.className = "calc__handoff-note";
      note.setAttribute("role", "status");
      button.after(note);
    }
    note.textContent = text;
  }

  /**
   * @param {CalculatorRoot} root
   * @param {{ form: string, name: string, href: string, when?: Record<string, unknown> }} target
   * @param {HTMLButtonElement} button
   */
  function handOff(root, target, button) {
    var box = root.querySelector(".calc__result");
    var last = root.lastAnswer;
    if (!last || box.dataset.stale) {
      say(button, "所填内容已修改，请先重新计算，再填入表单。");
      return;
    }
    var tiering = last.tiering || /** @type {Partial<TieringShown>} */ ({});
    var handoff = {
      calculator: root.dataset.calculator, title: root.dataset.title, result: last.result, raw: last.raw,
      program: program(root), at: last.at && last.at.toISOString ? last.at.toISOString() : "",
      file: tiering.file || last.file || "", csv: tiering.list && tiering.list.text ? tiering.list.text : null
    };
    var text = JSON.stringify({ form: target.form, handoff: handoff });
    try {
      sessionStorage.setItem(KEY, text);
    } catch (e) {
      // Too large for this tab's storage (a very long ranked list): the counts and the first
      // rows still go; the form names the file to attach.
      try {
        handoff.csv = null;
        if (handoff.result && Array.isArray(handoff.result.customers)) handoff.result = Object.assign({}, handoff.result,
          { customers: handoff.result.customers.slice(0, 2000) });
        sessionStorage.setItem(KEY, JSON.stringify({ form: target.form, handoff: handoff }));
      } catch (e2) {
        say(button, "无法把结果带到表单（浏览器不允许存储）：请打开表单页面手工填写。");
        return;
      }
    }
    location.href = new URL(target.href, location.href).href;
  }

  document.addEventListener("handbook:calc-result", function (ev) {
    var root = /** @type {CalculatorRoot} */ (ev.target);
    if (!root.dataset || !root.dataset.formHandoff) return;
    var target = JSON.parse(root.dataset.formHandoff);
    var result = root.lastAnswer && root.lastAnswer.result;
    var bar = root.querySelector(".calc__result-actions");
    if (!result || !bar || !matches(target.when, result) || bar.querySelector(".calc__handoff")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button md-button--primary calc__handoff";
    button.dataset.form = target.form;
    button.textContent = "填入《" + target.name + "》";
    button.addEventListener("click", function () { handOff(root, target, button); });
    bar.prepend(button);
  });
})();
