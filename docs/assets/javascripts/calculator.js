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

  function send(message, transfer) {
    return runtime.ready.then(function () {
      return new Promise(function (resolve) {
        message.id = nextId++;
        pending.set(message.id, resolve);
        runtime.worker.postMessage(message, transfer || []);
      });
    }).then(function (json) { return JSON.parse(json); });
  }

  function call(name, input) {
    return send({ type: "run", name: name, input: JSON.stringify(input) });
  }

  // The file's bytes go to Python as they are: decoding (UTF-8, GB18030) happens there.
  function upload(name, file) {
    return file.arrayBuffer().then(function (buffer) {
      return send({ type: "upload", name: name, data: buffer }, [buffer]);
    });
  }

  // Form -> JSON object, following the schema (nested objects use "parent.child" names).
  // Text is passed as typed when it is not a number, so the Python side (the one place
  // that validates) can name the field and what is wrong with it.
  function readFields(form, schema, prefix) {
    var input = {};
    Object.keys(schema.properties).forEach(function (key) {
      var prop = schema.properties[key];
      var name = prefix + key;
      var types = Array.isArray(prop.type) ? prop.type : [prop.type];
      var type = types.filter(function (t) { return t !== "null"; })[0];
      if (type === "object") {
        var sub = readFields(form, prop, name + ".");
        if (Object.keys(sub).length) input[key] = sub;
      } else if (type === "boolean") {
        input[key] = form.elements[name].checked;
      } else if (type === "array" && prop.items && prop.items.enum) {
        input[key] = Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]:checked'))
          .map(function (box) { return box.value; });
      } else if (type === "array" && prop.items && prop.items.type === "object") {
        return;  // uploaded as a file, see upload()
      } else if (type === "array") {
        var text = form.elements[name].value.trim();
        var itemType = prop.items && prop.items.type;
        input[key] = (text ? text.split(/[\s,，、;；]+/) : []).map(function (item) {
          return (itemType === "integer" || itemType === "number") && /^[-+]?\d*\.?\d+$/.test(item) ? Number(item) : item;
        });
      } else {
        var raw = form.elements[name].value.trim();
        if (raw === "") {
          if (types.indexOf("null") >= 0) input[key] = null;  // 留空 = 未设 (e.g. no credit limit)
          return;
        }
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

  function readForm(root, schema) {
    return readFields(root.querySelector("form"), schema, "");
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
    var answer = outcomeText(result[outcomeField]);
    var labels = JSON.parse(root.dataset.outcomeLabels || "{}");
    outcome.append(el("span", "calc__outcome-label", "结论："), el("strong", "calc__outcome-value", labels[answer] || answer));
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
    if (result.release) {
      var release = el("p", "calc__release");
      release.append(el("strong", null, "放行：" + result.release.by + "（"), clauseLink(clauses, result.release.clause),
        el("strong", null, "）"), el("span", null, result.release.ground + "（"), clauseLink(clauses, result.release.ground_clause),
        el("span", null, "）"));
      box.append(release);
    }
    if (result.customers) box.append(customerTable(result.customers));
    if (result.policy) {
      box.append(el("p", "calc__policy", "依据：" + result.policy.document + "《" + result.policy.title +
        "》第 " + result.policy.version + " 版"));
    }
    box.dataset.outcome = answer;
    box.hidden = false;
  }

  // The main answer as one string: a letter, a decision, a date, or tier counts.
  function outcomeText(value) {
    if (value && typeof value === "object") {
      return Object.keys(value).map(function (k) { return k + "=" + value[k]; }).join(" ");
    }
    return String(value);
  }

  function customerTable(customers) {
    var table = el("table", "calc__customers");
    var head = el("tr");
    ["客户编号", "总分", "名次", "分级"].forEach(function (h) { head.append(el("th", null, h)); });
    var thead = el("thead");
    thead.append(head);
    var body = el("tbody");
    var rows = customers.map(function (c) {
      var tr = el("tr");
      tr.dataset.tier = c.tier;
      tr.append(el("td", null, c.id), el("td", null, c.score), el("td", null, c.rank), el("td", null, c.tier));
      return tr;
    });
    body.append.apply(body, rows);
    table.append(thead, body);
    var wrap = el("div", "md-typeset__table calc__customers-wrap");
    wrap.append(table);
    return wrap;
  }

  function showUpload(root, answer, fileName) {
    if (answer.error) { showError(root, answer.error); return; }
    var problems = answer.row_errors || [];
    if (problems.length) {
      var list = el("ul");
      problems.forEach(function (p) { list.append(el("li", null, p.message)); });
      var box = root.querySelector(".calc__error");
      box.replaceChildren(el("p", null, "以下 " + problems.length + " 行有误，未参加分级（其余行已分级）："), list);
      box.hidden = false;
    }
    if (!answer.result) return;
    showResult(root, answer.result);
    var result = root.querySelector(".calc__result");
    var note = el("p", "calc__upload-note", "文件编码：" + answer.encoding + "；参加分级 " +
      answer.result.customers.length + " 个客户。");
    var link = el("a", "md-button calc__download", "下载结果（CSV）");
    link.href = URL.createObjectURL(new Blob([answer.csv], { type: "text/csv;charset=utf-8" }));
    link.download = (fileName || "客户清单").replace(/\.csv$/i, "") + "-分级结果.csv";
    result.insertBefore(note, result.children[1] || null);
    result.insertBefore(link, note.nextSibling);
  }

  function attach(root) {
    if (root.dataset.bound) return;
    root.dataset.bound = "1";
    var schema = JSON.parse(root.dataset.schema);
    var name = root.dataset.calculator;
    boot(root.dataset.wheel);
    showState(root, runtime.state, runtime.error);
    var file = root.querySelector('input[type="file"]');
    if (file) file.addEventListener("change", function () { if (file.files.length) root.querySelector("form").requestSubmit(); });
    root.querySelector("form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var errorBox = root.querySelector(".calc__error");
      errorBox.hidden = true;
      if (runtime.state === "error") { showState(root, "error", runtime.error); return; }
      if (runtime.state === "loading") {
        root.querySelector(".calc__status").textContent = "加载中（完成后自动计算）";
      }
      if (root.dataset.upload) {
        var file = root.querySelector('input[type="file"]').files[0];
        if (!file) { showError(root, "请先选择要上传的客户清单（CSV 文件）。"); return; }
        upload(name, file).then(function (answer) { showUpload(root, answer, file.name); }, function (e) {
          showError(root, "计算失败：" + e.message + "。所选文件未被改动。");
        }).finally(function () {
          if (runtime.state !== "error") showState(root, runtime.state, "");
        });
        return;
      }
      call(name, readForm(root, schema)).then(function (result) {
        if (result.error) {
          showError(root, result.error);
          var field = result.field && (root.querySelector('[name="' + result.field.split("[")[0] + '"]') ||
            root.querySelector('[name="' + result.field.split(/[.[]/)[0] + '"]'));
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

  // The comparison page (revisions.js) runs the redline in the same worker.
  window.handbookRuntime = {
    boot: boot,
    send: send,
    state: function () { return runtime.state; }
  };

  if (window.document$) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
