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
 */
(function () {
  "use strict";

  // Resolved from this script's own URL, so the site works under any path.
  var ASSETS = new URL("../", document.currentScript.src);
  var STATUS_TEXT = { loading: "加载中", ready: "就绪", error: "出错" };
  var STATUS_WORD = { ok: "符合", fail: "不符合", "n/a": "不适用" };

  var runtime = { worker: null, ready: null, state: "loading", error: "" };
  var pending = new Map();
  var nextId = 1;

  function boot(wheelURL) {
    if (runtime.worker) return runtime.ready;
    var worker = new Worker(new URL("javascripts/calc-worker.mjs", ASSETS), { type: "module" });
    runtime.worker = worker;
    runtime.ready = new Promise(function (resolve, reject) {
      worker.onmessage = function (ev) {
        var m = ev.data;
        if (m.type === "ready") resolve();
        else if (m.type === "boot-error") reject(new Error(m.message));
        else if (m.type === "result" && pending.has(m.id)) {
          pending.get(m.id)(m.json);
          pending.delete(m.id);
        }
      };
      worker.onerror = function (e) {
        reject(new Error(e.message || "计算引擎无法启动"));
      };
    });
    runtime.ready.then(
      function () { setRuntimeState("ready", ""); },
      function (e) { setRuntimeState("error", e.message); }
    );
    worker.postMessage({
      type: "boot",
      indexURL: new URL("pyodide/", ASSETS).href,
      wheelURL: new URL(wheelURL, document.baseURI).href
    });
    return runtime.ready;
  }

  function setRuntimeState(state, error) {
    runtime.state = state;
    runtime.error = error;
    document.querySelectorAll("[data-calculator]").forEach(function (root) {
      showState(root, state, error);
    });
  }

  function showState(root, state, error) {
    root.dataset.state = state;
    var status = root.querySelector(".calc__status");
    status.dataset.state = state;
    status.textContent = STATUS_TEXT[state];
    if (state === "error") {
      showError(root, "计算引擎加载失败，请刷新页面重试（" + error + "）。所填内容已保留。");
    }
  }

  function call(name, input) {
    return runtime.ready.then(function () {
      return new Promise(function (resolve) {
        var id = nextId++;
        pending.set(id, resolve);
        runtime.worker.postMessage({ type: "run", id: id, name: name, input: JSON.stringify(input) });
      });
    }).then(function (json) { return JSON.parse(json); });
  }

  // Form -> JSON object. Text is passed as typed when it is not a number, so the Python
  // side (the one place that validates) can name the field and what is wrong with it.
  function readForm(root, schema) {
    var form = root.querySelector("form");
    var input = {};
    Object.keys(schema.properties).forEach(function (key) {
      var prop = schema.properties[key];
      var type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
      if (type === "boolean") {
        input[key] = form.elements[key].checked;
      } else if (type === "array") {
        input[key] = Array.prototype.slice.call(form.querySelectorAll('input[name="' + key + '"]:checked'))
          .map(function (el) { return el.value; });
      } else {
        var raw = form.elements[key].value.trim();
        if (raw === "") return;
        var normalised = raw.replace(/[，,]/g, "");
        if ((type === "number" || type === "integer") && /^[-+]?\d*\.?\d+(e[-+]?\d+)?$/i.test(normalised)) {
          input[key] = Number(normalised);
        } else {
          input[key] = raw;
        }
      }
    });
    return input;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clauseLink(clauses, id) {
    var c = clauses[id];
    if (!c) return el("span", null, id);
    var a = el("a", "calc__clause", c.label);
    a.href = c.href;
    return a;
  }

  function showError(root, message) {
    var box = root.querySelector(".calc__error");
    box.textContent = message;
    box.hidden = false;
  }

  function showResult(root, result) {
    var clauses = JSON.parse(root.dataset.clauses);
    var outcomeField = root.dataset.outcomeField;
    var box = root.querySelector(".calc__result");
    box.replaceChildren();
    var outcome = el("p", "calc__outcome");
    outcome.append(el("span", "calc__outcome-label", "结论："), el("strong", "calc__outcome-value", result[outcomeField]));
    if (result.reason) outcome.append(el("span", "calc__reason", result.reason));
    box.append(outcome);

    var table = el("table", "calc__checks");
    var head = el("tr");
    ["条款", "检查项", "客户情况", "要求", "结果"].forEach(function (h) { head.append(el("th", null, h)); });
    var thead = el("thead");
    thead.append(head);
    table.append(thead);
    var body = el("tbody");
    result.checks.forEach(function (c) {
      var tr = el("tr", "calc__check calc__check--" + c.status.replace("/", ""));
      tr.dataset.check = c.id;
      tr.dataset.status = c.status;
      var cell = el("td");
      cell.append(clauseLink(clauses, c.clause));
      tr.append(cell, el("td", null, c.text.split("：").slice(0, -1).join("：") || c.text),
        el("td", null, c.actual), el("td", null, c.required), el("td", "calc__status-cell", STATUS_WORD[c.status]));
      body.append(tr);
    });
    table.append(body);
    var wrap = el("div", "md-typeset__table");
    wrap.append(table);
    box.append(wrap);
    if (result.policy) {
      box.append(el("p", "calc__policy", "依据：" + result.policy.document + "《" + result.policy.title +
        "》第 " + result.policy.version + " 版"));
    }
    box.dataset.outcome = result[outcomeField];
    box.hidden = false;
  }

  function attach(root) {
    if (root.dataset.bound) return;
    root.dataset.bound = "1";
    var schema = JSON.parse(root.dataset.schema);
    var name = root.dataset.calculator;
    boot(root.dataset.wheel);
    showState(root, runtime.state, runtime.error);
    root.querySelector("form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var errorBox = root.querySelector(".calc__error");
      errorBox.hidden = true;
      if (runtime.state === "error") { showState(root, "error", runtime.error); return; }
      if (runtime.state === "loading") {
        root.querySelector(".calc__status").textContent = "加载中（完成后自动计算）";
      }
      call(name, readForm(root, schema)).then(function (result) {
        if (result.error) {
          showError(root, result.error);
          var field = result.field && root.querySelector('[name="' + result.field.split(/[.[]/)[0] + '"]');
          if (field) field.focus();
          return;
        }
        showResult(root, result);
      }, function (e) {
        showError(root, "计算失败：" + e.message + "。所填内容已保留。");
      }).finally(function () {
        if (runtime.state !== "error") showState(root, runtime.state, "");
      });
    });
  }

  function init() {
    document.querySelectorAll("[data-calculator]").forEach(attach);
  }

  if (window.document$) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
