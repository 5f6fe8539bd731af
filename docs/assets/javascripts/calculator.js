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

  // Python and its worker live in calc-runtime.js (window.HandbookRuntime, shared with the
  // comparison page): boot, time limits, restarts. This file is the forms and their results.
  var runtime = window.HandbookRuntime;
  var STATUS_TEXT = { loading: "加载中", ready: "就绪", error: "出错" };

  runtime.onState(function (state, error) {
    document.querySelectorAll("[data-calculator]").forEach(function (root) {
      showState(root, state, error);
    });
  });

  function showState(root, state, error) {
    root.dataset.state = state;
    var status = root.querySelector(".calc__status");
    status.dataset.state = state;
    status.textContent = STATUS_TEXT[state];
    if (state === "error") {
      showError(root, "计算引擎加载失败：" + error + "。所填内容已保留。");
      retryButton(root);
    }
  }

  // 重试 beside the cause: a new boot without reloading the page, so the input stays.
  function retryButton(root) {
    var box = root.querySelector(".calc__error");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button calc__retry";
    button.textContent = "重试";
    button.addEventListener("click", function () {
      box.hidden = true;
      box.replaceChildren();
      runtime.retry();
    });
    box.append(" ", button);
  }

  var send = runtime.send;
  var upload = runtime.upload;

  // The form's strings as typed go to Python (calc/form_input.py reads "1.5万", "2026年9月30日"
  // by the schema), so the page and the command line share one reader and one set of messages.
  function callForm(name, raw) {
    return send({ type: "form", name: name, input: JSON.stringify(raw) });
  }

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

  // A value as staff read it: lists with 、, nothing as —.
  function shown(value) {
    if (value === null || value === undefined || value === "") return "—";
    if (Array.isArray(value)) return value.length ? value.map(shown).join("、") : "—";
    if (typeof value === "object") return Object.keys(value).map(function (k) { return k + " " + shown(value[k]); }).join("、");
    return String(value);
  }

  // --- errors, attached to their fields ------------------------------------------------

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

  function hideError(root) {
    var box = root.querySelector(".calc__error");
    box.hidden = true;
    box.replaceChildren();
  }

  // "holidays[0]" -> the holidays box; "thresholds.max_overdue_share" -> that box; a
  // checkbox group -> its fieldset.
  function controlFor(root, path) {
    if (!path) return null;
    var name = String(path).replace(/\[\d+\]/g, "");
    while (name) {
      var c = root.querySelector('form [name="' + CSS.escape(name) + '"]');
      if (c) return c.type === "checkbox" && c.closest(".calc__field--choices") ? c.closest("fieldset") : c;
      var cut = name.lastIndexOf(".");
      if (cut < 0) return null;
      name = name.slice(0, cut);
    }
    return null;
  }

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

  function clearFieldErrors(root) {
    root.querySelectorAll('form [aria-invalid="true"]').forEach(unmarkField);
  }

  // Red outline, aria-invalid, the message under the field (aria-describedby), focus on
  // the first bad field. Returns the number of fields marked.
  function markFieldErrors(root, errors) {
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

  // --- the result: current, out of date, or gone ----------------------------------------

  function clearResult(root) {
    var box = root.querySelector(".calc__result");
    box.querySelectorAll(".calc__download").forEach(function (a) { URL.revokeObjectURL(a.href); });
    box.replaceChildren();
    box.hidden = true;
    box.removeAttribute("data-outcome");
    delete box.dataset.stale;
    root.lastAnswer = null;
  }

  // The form no longer says what the result answered: say so at once, and drop the
  // machine-readable answer so no one (or no script) takes it as current.
  function markStale(root) {
    var box = root.querySelector(".calc__result");
    if (box.hidden || box.dataset.stale) return;
    box.dataset.stale = "1";
    box.removeAttribute("data-outcome");
    box.prepend(el("p", "calc__stale", "所填内容已修改，下面的结果不再对应当前内容，请重新计算。"));
  }

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

  var CHECK_HEADINGS = ["条款", "检查项", "实际情况", "要求", "结果"];

  function checkRow(clauses, c) {
    var tr = el("tr", "calc__row calc__row--" + c.status.replace("/", ""));
    tr.dataset.check = c.id;
    tr.dataset.status = c.status;
    if (c.kind) tr.dataset.kind = c.kind;
    var clause = el("td");
    clause.append(clauseLink(clauses, c.clause));
    var what = el("td");
    what.append(el("span", "calc__label", c.label || c.text));
    if (c.text && c.label && c.text !== c.label) what.append(el("span", "calc__note", c.text));
    var cells = [clause, what, el("td", null, shown(c.actual)), el("td", null, shown(c.required)),
      el("td", "calc__verdict", c.verdict)];
    cells.forEach(function (td, i) { td.dataset.label = CHECK_HEADINGS[i]; });
    tr.append.apply(tr, cells);
    return tr;
  }

  function showResult(root, result) {
    var clauses = JSON.parse(root.dataset.clauses);
    var box = root.querySelector(".calc__result");
    clearResult(root);
    var answer = outcomeText(result[root.dataset.outcomeField]);
    var labels = JSON.parse(root.dataset.outcomeLabels || "{}");
    var outcome = el("p", "calc__outcome");
    outcome.append(el("span", "calc__outcome-label", "结论："),
      el("strong", "calc__outcome-value", result.headline || labels[answer] || answer));
    if (result.reason) outcome.append(el("span", "calc__reason", result.reason));
    box.append(outcome);
    if (result.what_would_change) box.append(changeBlock(clauses, result.what_would_change));
    if (result.checks && result.checks.length) {
      box.append(columnsTable("calc__checks", CHECK_HEADINGS,
        result.checks.map(function (c) { return checkRow(clauses, c); })));
    }
    if (result.release) {
      var release = el("p", "calc__release");
      release.append(el("strong", null, "放行：" + result.release.by + "（"), clauseLink(clauses, result.release.clause),
        el("strong", null, "）"), el("span", null, result.release.ground + "（"), clauseLink(clauses, result.release.ground_clause),
        el("span", null, "）"));
      box.append(release);
    }
    if (result.policy) box.append(el("p", "calc__policy", policyText(result.policy)));
    box.append(resultActions(root));
    box.dataset.outcome = answer;
    box.hidden = false;
    root.lastAnswer = { result: result, raw: root.pendingRaw || readForm(root), at: new Date() };
    root.dispatchEvent(new CustomEvent("handbook:calc-result", { bubbles: true }));  // form-handoff.js
  }

  // What would change the answer (calc.engine.change): the next better outcome and each
  // thing that would have to be different, with its clause.
  function changeBlock(clauses, change) {
    var block = el("div", "calc__change");
    block.append(el("p", "calc__change-title", "要" + change.better + "，须："));
    var list = el("ul");
    change.needs.forEach(function (n) {
      var li = el("li", null, n.text + "（");
      li.append(clauseLink(clauses, n.clause), "）");
      list.append(li);
    });
    block.append(list);
    return block;
  }

  function policyText(p) {
    return "依据：" + p.document + "《" + p.title + "》第 " + p.version + " 版" +
      (p.effective ? "（" + p.effective + " 起施行）" : "") + (p.as_of ? "，按 " + p.as_of + " 有效的版本" : "") +
      (p.note ? "。" + p.note : "");  // before the first version takes effect (calc.parameters.document)
  }

  // The main answer as one string: a letter, a decision, a date, or tier counts.
  function outcomeText(value) {
    if (value && typeof value === "object") {
      return Object.keys(value).map(function (k) { return k + "=" + value[k]; }).join(" ");
    }
    return String(value);
  }

  // --- customer tiering from a file: tiering.js (window.HandbookTiering) ------------------

  function looksLikeExcel(file) {
    if (/\.(xlsx|xlsm|xlsb|xls|et)$/i.test(file.name)) return Promise.resolve(true);
    // An .xlsx is a zip file ("PK\3\4"); an old .xls an OLE file (D0 CF 11 E0).
    return file.slice(0, 4).arrayBuffer().then(function (b) {
      var h = new Uint8Array(b);
      return (h[0] === 0x50 && h[1] === 0x4b && h[2] === 3 && h[3] === 4) ||
        (h[0] === 0xd0 && h[1] === 0xcf && h[2] === 0x11 && h[3] === 0xe0);
    });
  }

  function showUpload(root, answer, fileName) {
    window.HandbookTiering.show(root, answer, fileName, { showResult: showResult, markFieldErrors: markFieldErrors });
  }

  // --- keep and share: 计算记录 and a link with the inputs in its fragment ----------------

  function fieldTitles(schema, prefix, out) {
    Object.keys(schema.properties || {}).forEach(function (key) {
      var prop = schema.properties[key];
      if (fieldTypes(prop).main === "object") { fieldTitles(prop, prefix + key + ".", out); return; }
      out.push({ name: prefix + key, title: (prop.title || key) + (prop["x-unit"] ? "（" + prop["x-unit"] + "）" : ""), prop: prop });
    });
    return out;
  }

  function valueAt(data, path) {
    return path.split(".").reduce(function (d, k) { return d && typeof d === "object" ? d[k] : undefined; }, data);
  }

  function typedText(value, prop) {
    if (value === true) return "是";
    if (value === false) return "否";
    var labels = prop["x-labels"] || (prop.items && prop.items["x-labels"]) || {};
    if (Array.isArray(value)) return value.length ? value.map(function (v) { return labels[v] || v; }).join("；") : "无";
    if (value === null) return "未设";
    return labels[value] || shown(value);
  }

  function stamp(d) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " +
      two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
  }

  function recordNode(root) {
    var last = root.lastAnswer;
    var result = last.result;
    var schema = JSON.parse(root.dataset.schema);
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
    var inputs = fieldTitles(schema, "", []).filter(function (f) { return f.name in last.raw; }).map(function (f) {
      var tr = el("tr");
      var typed = last.raw[f.name];
      var readValue = valueAt(read, f.name);
      tr.append(el("td", null, f.title), el("td", null, typeof typed === "string" ? (typed.trim() || "（未填）") : typedText(typed, f.prop)),
        el("td", null, readValue === undefined ? "（按默认）" : typedText(readValue, f.prop)));
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

  function shareURL(root, raw) {
    var params = new URLSearchParams();
    params.set("calc", root.dataset.calculator);
    Object.keys(raw).forEach(function (k) {
      var v = raw[k];
      if (v === "" || v === false || (Array.isArray(v) && !v.length)) return;
      params.set(k, Array.isArray(v) ? v.join(",") : v === true ? "1" : v);
    });
    // The fragment never reaches the server: the inputs stay between the two browsers.
    return location.href.split("#")[0] + "#" + params.toString();
  }

  function sharedInputs(root) {
    if (!/^#calc=/.test(location.hash)) return null;
    var params = new URLSearchParams(location.hash.slice(1));
    if (params.get("calc") !== root.dataset.calculator) return null;
    var raw = {};
    params.forEach(function (v, k) { if (k !== "calc") raw[k] = v; });
    return raw;
  }

  function resultActions(root) {
    var bar = el("div", "calc__result-actions");
    var print = el("button", "md-button calc__print", "打印计算记录");
    print.type = "button";
    print.addEventListener("click", function () { printRecord(root); });
    bar.append(print);
    if (!root.dataset.upload) {
      var share = el("button", "md-button calc__share", "复制分享链接");
      share.type = "button";
      var link = el("input", "calc__share-link");
      link.readOnly = true;
      link.hidden = true;
      link.setAttribute("aria-label", "分享链接（所填内容在链接的 # 之后，不发送给服务器）");
      share.addEventListener("click", function () {
        link.value = shareURL(root, root.lastAnswer.raw);
        link.hidden = false;
        link.select();
        var copied = navigator.clipboard && navigator.clipboard.writeText ? navigator.clipboard.writeText(link.value) : Promise.reject();
        copied.then(function () { share.textContent = "链接已复制"; }, function () { share.textContent = "请复制下面的链接"; });
      });
      bar.append(share, link);
    }
    return bar;
  }

  // --- running a calculation ----------------------------------------------------------------

  // The button is off while a calculation runs; after a second the page says it is working.
  function setBusy(root, busy, doing) {
    var button = root.querySelector('button[type="submit"]');
    var working = root.querySelector(".calc__working");
    var hadFocus = document.activeElement === button;
    button.disabled = busy;
    root.setAttribute("aria-busy", busy ? "true" : "false");
    clearTimeout(root.busyTimer);
    if (busy) {
      root.busyFocus = hadFocus;
      var started = Date.now();
      var tell = function () {
        var text = (runtime.state() === "loading" ? "正在加载计算引擎，完成后自动计算" : doing || "正在计算") + "…";
        // The words are announced once; the seconds count only on screen.
        if (working.hidden || working.firstChild.textContent !== text) {
          working.replaceChildren(el("span", null, text), el("span", "calc__elapsed"));
          working.lastChild.setAttribute("aria-hidden", "true");
        }
        // While the engine downloads: how much has arrived (calc-progress.js).
        var download = runtime.state() === "loading" && window.HandbookDownload ? window.HandbookDownload.text() : "";
        working.lastChild.textContent = "（" + (download ? download + "，" : "") + "已 " + Math.round((Date.now() - started) / 1000) + " 秒）";
        working.hidden = false;
        root.busyTimer = setTimeout(tell, 1000);
      };
      root.busyTimer = setTimeout(tell, 1000);
    } else {
      working.hidden = true;
      if (root.busyFocus && (document.activeElement === document.body || !document.activeElement)) button.focus();
      root.busyFocus = false;
    }
  }

  function submitForm(root) {
    var raw = readForm(root);
    root.dirtyDuringRun = false;
    setBusy(root, true);
    callForm(root.dataset.calculator, raw).then(function (result) {
      if (result.error) {
        clearResult(root);
        var errors = result.errors || [{ field: result.field, message: result.error }];
        showError(root, errors.length > 1 ? "请修改标出的 " + errors.length + " 处：" : result.error,
          errors.map(function (e) { return e.message; }));
        setBusy(root, false);
        markFieldErrors(root, errors);
        return;
      }
      root.pendingRaw = raw;
      showResult(root, result);
      root.pendingRaw = null;
      if (root.dirtyDuringRun) markStale(root);
    }, function (e) {
      clearResult(root);
      showError(root, "计算失败：" + e.message + "。所填内容已保留。");
    }).finally(function () {
      setBusy(root, false);
      showState(root, runtime.state(), runtime.error());   // a failed engine: its cause and 重试
    });
  }

  function submitUpload(root) {
    var input = root.querySelector('input[type="file"]');
    var file = input.files[0];
    clearResult(root);
    if (!file) {
      var message = "请先选择要上传的客户清单（CSV 文件）";
      showError(root, message + "。");
      markFieldErrors(root, [{ field: input.name, message: message }]);
      return;
    }
    // The worker takes no date with a file yet (calc.registry.run_upload does): a date asked
    // for is never silently replaced by today's rules.
    var asOf = root.querySelector('form [name="as_of"]');
    if (asOf && asOf.value.trim()) {
      var dated = "上传文件的分级暂只能按今天有效的制度计算：请清空“适用日期”后重新上传";
      showError(root, dated + "。");
      markFieldErrors(root, [{ field: "as_of", message: dated }]);
      return;
    }
    setBusy(root, true, "正在读取并分级“" + file.name + "”（" + Math.max(1, Math.round(file.size / 1024)) + " KB）");
    looksLikeExcel(file).then(function (excel) {
      if (excel) {
        var excelMessage = "“" + file.name + "”是 Excel 文件：请在 Excel 中用“另存为”，保存类型选“CSV（逗号分隔）”，再上传 CSV 文件";
        showError(root, excelMessage + "。");
        markFieldErrors(root, [{ field: input.name, message: "请另存为 CSV 后再上传" }]);
        return null;
      }
      return upload(root.dataset.calculator, file).then(function (answer) {
        // A task of its own for the table: reading a large answer and drawing it stay apart.
        return new Promise(function (resolve) {
          setTimeout(function () { showUpload(root, answer, file.name); resolve(); }, 0);
        });
      });
    }).catch(function (e) {
      showError(root, "计算失败：" + e.message + "。所选文件未被改动。");
    }).finally(function () {
      setBusy(root, false);
      showState(root, runtime.state(), runtime.error());   // a failed engine: its cause and 重试
    });
  }

  function attach(root) {
    if (root.dataset.bound) return;
    root.dataset.bound = "1";
    runtime.boot(root.dataset.wheel);
    showState(root, runtime.state(), runtime.error());
    var form = root.querySelector("form");
    var file = root.querySelector('input[type="file"]');
    if (file) {
      file.addEventListener("change", function () {
        // A new file: the old table and its download no longer apply, whatever happens next.
        clearResult(root);
        hideError(root);
        clearFieldErrors(root);
        if (file.files.length) form.requestSubmit();
      });
    }
    function edited(ev) {
      if (ev.target === file) return;
      if (root.getAttribute("aria-busy") === "true") root.dirtyDuringRun = true;
      unmarkField(ev.target.closest('[aria-invalid="true"]'));
      markStale(root);
    }
    form.addEventListener("input", edited);
    form.addEventListener("change", edited);
    form.addEventListener("reset", function () { clearResult(root); hideError(root); clearFieldErrors(root); });
    // A date picker beside a date box: the box keeps the typed forms (2026年9月30日 too).
    root.querySelectorAll(".calc__datepick").forEach(function (picker) {
      picker.addEventListener("change", function () {
        var box = document.getElementById(picker.dataset.for);
        if (!picker.value) return;
        box.value = picker.dataset.append && box.value.trim() ? box.value.trim() + ", " + picker.value : picker.value;
        box.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (root.getAttribute("aria-busy") === "true") return;
      hideError(root);
      clearFieldErrors(root);
      if (runtime.state() === "error") { clearResult(root); showState(root, "error", runtime.error()); return; }
      if (runtime.state() === "loading") {
        root.querySelector(".calc__status").textContent = "加载中（完成后自动计算）";
      }
      if (root.dataset.upload) submitUpload(root);
      else submitForm(root);
    });
    var shared = sharedInputs(root);
    // ?as_of=YYYY-MM-DD (the point-in-time page's link): the day whose rules apply.
    var asOf = new URLSearchParams(location.search).get("as_of");
    var asOfInput = form.querySelector('[name="as_of"]');
    if (asOf && asOfInput && !shared) asOfInput.value = asOf;
    if (shared) {
      writeForm(root, shared);
      root.scrollIntoView({ block: "start" });
      form.requestSubmit();
    }
  }

  // A link to a place on this same page scrolls there and highlights it. Without this,
  // instant navigation fetches the page again and the form and its result are lost.
  function sameDocumentTarget(a) {
    var url = new URL(a.href, location.href);
    if (!url.hash || url.origin !== location.origin || url.pathname !== location.pathname ||
        url.search !== location.search) return null;
    try {
      return document.getElementById(decodeURIComponent(url.hash.slice(1)));
    } catch (e) {
      return null;
    }
  }

  window.addEventListener("click", function (ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    var a = ev.target.closest && ev.target.closest("a[href]");
    if (!a || a.target || a.hasAttribute("download")) return;
    // A clause cited in a calculator opens beside it (clause-peek.js), on this page or another.
    if (a.closest("[data-calculator]") && window.HandbookClausePeek) return;
    var target = sameDocumentTarget(a);
    if (!target) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    // An entry of its own, as a browser's jump to a fragment makes: Back returns to where the
    // reader was (each entry keeps its scroll offset in its state, as the theme's do;
    // same-page-history.js restores it). The clause goes to the top, under the header, so
    // the page shows what the address names.
    history.replaceState({ x: window.scrollX, y: window.scrollY }, "");
    history.pushState(null, "", "#" + target.id);
    target.scrollIntoView({ block: "start" });
    document.querySelectorAll(".is-flash").forEach(function (n) { n.classList.remove("is-flash"); });
    target.classList.add("is-flash");
    setTimeout(function () { target.classList.remove("is-flash"); }, 2500);
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }, true);

  function init() {
    var start = performance.now();
    document.querySelectorAll("[data-calculator]").forEach(attach);
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
