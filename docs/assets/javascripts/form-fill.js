/*
 * A form of the handbook in the page (issue 22): fill, check, print, save and load.
 *
 * The page (handbook/form_pages.py, overrides/partials/form-page.html) holds the form to
 * fill and its A4 sheets to print, blank, one per 联. What staff type goes to Python in the
 * calculators' worker (calc-runtime.js; calc/form_fill.py reads it the way the calculators
 * read input: full-width digits, 1.5万, 2026年9月30日), which answers each value as it prints,
 * amounts also in 大写, or one message per wrong field. Nothing leaves the browser: a record
 * is saved as a JSON file and loaded from one; an unsaved draft is kept in this tab only
 * (sessionStorage), so a reload does not lose what was typed.
 *
 * A calculator's answer arrives through form-handoff.js (sessionStorage, this tab only) and
 * is written in as staff would type it, each value marked with the calculator and version
 * that produced it.
 *
 * Stable hooks: [data-form] root with data-state = loading | ready | error, and data-checked
 * once the sheets show what was typed; inputs named after the field ids ("table.column" in
 * a table); [data-slot] on each printed value.
 */
(function () {
  "use strict";

  var HANDOFF_KEY = "handbook-form-handoff";
  var DRAFT_PREFIX = "handbook-form-draft:";
  var MAX_FILE_BYTES = 5000000;
  var STATE_TEXT = { loading: "计算引擎加载中（可先填写）", ready: "就绪", error: "计算引擎加载失败" };
  var blanks = new WeakMap();   // each printed slot's blank content, to go back to

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  function fieldsOf(spec) {
    var out = [];
    spec.sections.forEach(function (s) { s.fields.forEach(function (f) { out.push(f); }); });
    return out;
  }

  // --- what was typed -----------------------------------------------------------------------

  function tableRows(root, fid) {
    return Array.prototype.slice.call(root.querySelectorAll('table[data-table="' + fid + '"] > tbody > tr'));
  }

  function readRaw(root, spec) {
    var form = root.querySelector("form.form-fill");
    var raw = {};
    fieldsOf(spec).forEach(function (f) {
      if (f.type === "table") {
        raw[f.id] = tableRows(root, f.id).map(function (tr) {
          var row = {};
          f.columns.forEach(function (c) {
            var control = tr.querySelector('[name="' + f.id + "." + c.id + '"]');
            row[c.id] = control ? control.value : "";
          });
          return row;
        });
      } else if (f.type === "choices") {
        raw[f.id] = Array.prototype.slice.call(form.querySelectorAll('input[name="' + f.id + '"]:checked'))
          .map(function (box) { return box.value; });
      } else {
        var control = form.elements[f.id];
        raw[f.id] = control ? control.value : "";
      }
    });
    return raw;
  }

  // A value a select cannot show (a record made when the options were others) is kept as an
  // extra option, so the check names it instead of it vanishing.
  function setSelect(select, value) {
    value = value === true ? "是" : value === false ? "否" : String(value === null || value === undefined ? "" : value);
    var found = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    if (!found && value) {
      var extra = el("option", null, value);
      extra.value = value;
      extra.dataset.extra = "1";
      select.append(extra);
    }
    select.value = value;
  }

  function setControl(control, value) {
    if (!control) return;
    if (control.tagName === "SELECT") setSelect(control, value);
    else control.value = value === null || value === undefined ? "" : String(value);
  }

  function addRow(root, fid) {
    var body = root.querySelector('table[data-table="' + fid + '"] > tbody');
    var last = body.lastElementChild;
    var tr = last.cloneNode(true);
    tr.querySelectorAll("input, select, textarea").forEach(function (c) {
      c.removeAttribute("aria-invalid");
      c.removeAttribute("aria-describedby");
      if (c.tagName === "SELECT") {
        c.querySelectorAll("option[data-extra]").forEach(function (o) { o.remove(); });
        c.value = "";
      } else c.value = "";
    });
    var n = body.children.length;
    tr.dataset.row = String(n);
    tr.querySelector("th").textContent = String(n + 1);
    tr.querySelectorAll("[aria-label]").forEach(function (c) {
      c.setAttribute("aria-label", c.getAttribute("aria-label").replace(/^第\d+行/, "第" + (n + 1) + "行"));
    });
    body.append(tr);
    return tr;
  }

  function clearForm(root) {
    var form = root.querySelector("form.form-fill");
    form.reset();
    form.querySelectorAll("option[data-extra]").forEach(function (o) { o.remove(); });
    root.querySelectorAll("table[data-table]").forEach(function (table) {
      var rows = table.tBodies[0].rows;
      var keep = table.closest("[data-field]").querySelector("[data-add-row]") ? 3 : rows.length;
      while (rows.length > keep) rows[rows.length - 1].remove();
    });
  }

  function writeRaw(root, spec, raw) {
    var form = root.querySelector("form.form-fill");
    fieldsOf(spec).forEach(function (f) {
      if (!(f.id in raw)) return;
      var value = raw[f.id];
      if (f.type === "table") {
        var rows = Array.isArray(value) ? value : [];
        var trs = tableRows(root, f.id);
        while (trs.length < rows.length && !f.row_labels) trs.push(addRow(root, f.id));
        rows.forEach(function (row, i) {
          if (!trs[i] || !row || typeof row !== "object") return;
          f.columns.forEach(function (c) {
            setControl(trs[i].querySelector('[name="' + f.id + "." + c.id + '"]'), row[c.id]);
          });
        });
      } else if (f.type === "choices") {
        var list = Array.isArray(value) ? value : String(value || "").split(/[、,，]/);
        form.querySelectorAll('input[name="' + f.id + '"]').forEach(function (box) { box.checked = list.indexOf(box.value) >= 0; });
      } else {
        setControl(form.elements[f.id], value);
      }
    });
  }

  // --- messages -----------------------------------------------------------------------------

  function controlFor(root, path) {
    var m = /^([a-z][a-z0-9_]*)(?:\[(\d+)\]\.([a-z][a-z0-9_]*))?$/.exec(path || "");
    if (!m) return null;
    if (m[2] !== undefined) {
      var tr = tableRows(root, m[1])[Number(m[2])];
      return tr ? tr.querySelector('[name="' + m[1] + "." + m[3] + '"]') : null;
    }
    if (m[1] === "made_by") return root.querySelector("[data-made-by]");
    var field = root.querySelector('[data-field="' + m[1] + '"]');
    if (!field) return null;
    if (field.dataset.type === "choices") return field;
    if (field.dataset.type === "table") return field.querySelector("table[data-table]");
    return field.querySelector("input, select, textarea");
  }

  function clearMarks(root) {
    root.querySelectorAll(".form-fill__error").forEach(function (n) { n.remove(); });
    root.querySelectorAll('[aria-invalid="true"]').forEach(function (c) {
      c.removeAttribute("aria-invalid");
      var ids = (c.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id.indexOf("-error") < 0; });
      if (ids.length) c.setAttribute("aria-describedby", ids.join(" ")); else c.removeAttribute("aria-describedby");
    });
    var box = root.querySelector("[data-form-error]");
    box.hidden = true;
    box.replaceChildren();
  }

  function showErrors(root, errors, lead) {
    clearMarks(root);
    var box = root.querySelector("[data-form-error]");
    var list = el("ul");
    errors.forEach(function (e) { list.append(el("li", null, e.message)); });
    box.append(el("p", null, lead || (errors.length > 1 ? "请修改标出的 " + errors.length + " 处：" : "请修改标出的 1 处：")), list);
    box.hidden = false;
    var first = null;
    errors.forEach(function (e, i) {
      var control = controlFor(root, e.field);
      if (!control) return;
      var msg = el("p", "form-fill__error", e.message);
      msg.id = "form-" + root.dataset.form + "-e" + i + "-error";
      var place = control.closest("td") || control.closest(".form-fill__control") || control;
      if (control.tagName === "FIELDSET") control.querySelector("legend").after(msg);
      else if (control.tagName === "TABLE") control.closest(".form-fill__table-wrap").after(msg);
      else place.append(msg);
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", (msg.id + " " + (control.getAttribute("aria-describedby") || "")).trim());
      if (!first) first = control;
    });
    if (first) {
      var focusable = first.matches("input, select, textarea") ? first : first.querySelector("input, select, textarea");
      if (focusable) focusable.focus();
    }
  }

  function showError(root, message) {
    clearMarks(root);
    var box = root.querySelector("[data-form-error]");
    box.append(el("p", null, message));
    box.hidden = false;
  }

  function notice(root, paragraphs, list, extra) {
    var box = root.querySelector("[data-form-notice]");
    box.replaceChildren();
    paragraphs.forEach(function (p) { box.append(el("p", null, p)); });
    if (list && list.length) {
      var ul = el("ul", "form-notice__changes");
      list.forEach(function (t) { ul.append(el("li", null, t)); });
      box.append(ul);
    }
    if (extra) box.append(extra);
    box.hidden = !box.childNodes.length;
  }

  // --- the printed sheets --------------------------------------------------------------------

  function rememberBlanks(root) {
    root.querySelectorAll("[data-slot], [data-grid] > tbody").forEach(function (n) {
      if (!blanks.has(n)) blanks.set(n, n.innerHTML);
    });
  }

  function setBoxes(node, chosen) {
    node.querySelectorAll(".form-opt").forEach(function (o) {
      o.querySelector(".form-opt__box").textContent = chosen.indexOf(o.dataset.opt) >= 0 ? "☑" : "☐";
    });
  }

  function mark(root, fid) {
    var p = root.prefill[fid];
    if (!p) return null;
    var sup = el("sup", "form-sheet__mark", p.modified ? "※改" : "※");
    return sup;
  }

  function fillSlot(root, slot, f, answer) {
    slot.innerHTML = blanks.get(slot);
    slot.classList.remove("is-filled");
    if (!(f.id in answer.values)) return;
    var value = answer.values[f.id];
    slot.classList.add("is-filled");
    if (f.type === "choice") setBoxes(slot, [value]);
    else if (f.type === "choices") setBoxes(slot, value);
    else if (f.type === "yesno") setBoxes(slot, [value ? "是" : "否"]);
    else if (f.type === "amount") {
      slot.querySelector('[data-part="figures"]').textContent = answer.shown[f.id].replace(/^¥/, "");
      slot.querySelector('[data-part="words"]').textContent = answer.words[f.id];
    } else {
      var text = answer.shown[f.id];
      // A number's unit is printed after its box already.
      if ((f.type === "number" || f.type === "integer") && f.unit && text.slice(-f.unit.length) === f.unit) {
        text = text.slice(0, -f.unit.length);
      }
      slot.querySelector('[data-part="value"]').textContent = text;
    }
    var sup = mark(root, f.id);
    if (sup) slot.append(sup);
  }

  function fillGrid(root, grid, f, answer) {
    var body = grid.tBodies[0];
    body.innerHTML = blanks.get(body);
    var rows = answer.shown[f.id] || [];
    var values = answer.values[f.id] || [];
    if (!f.row_labels) {
      var template = body.rows[0];
      while (body.rows.length < rows.length) body.append(template.cloneNode(true));
    }
    rows.forEach(function (row, i) {
      var tr = body.rows[i];
      if (!tr) return;
      f.columns.forEach(function (c) {
        var td = tr.querySelector('td[data-cell="' + c.id + '"]');
        if (!td || !(c.id in row)) return;
        if (td.querySelector(".form-opt")) setBoxes(td, [c.type === "yesno" ? (values[i][c.id] ? "是" : "否") : values[i][c.id]]);
        else td.textContent = row[c.id];
      });
    });
    var title = grid.closest("tr").previousElementSibling;   // the table's title row
    if (title) {
      title.querySelectorAll(".form-sheet__mark").forEach(function (n) { n.remove(); });
      var sup = mark(root, f.id);
      if (sup) title.firstElementChild.append(sup);
    }
  }

  function sourcesText(root) {
    var byBasis = {};
    var labels = {};
    fieldsOf(root.spec).forEach(function (f) { labels[f.id] = f.label; });
    Object.keys(root.prefill).forEach(function (fid) {
      var p = root.prefill[fid];
      var basis = "“" + (p.title || p.calculator) + "”计算器（" + p.calculator + (p.program ? "，程序 " + p.program : "") +
        "）依据 " + p.document + " 第 " + p.version + " 版" + (p.as_of ? "、按 " + p.as_of + " 有效的规则" : "") + "算出";
      (byBasis[basis] = byBasis[basis] || []).push((labels[fid] || fid) + (p.modified ? "（填表人已修改）" : ""));
    });
    return Object.keys(byBasis).map(function (b) { return "※ 由" + b + "：" + byBasis[b].join("、") + "。"; }).join(" ");
  }

  function recordText(root) {
    var r = root.record;
    if (!r) return "";
    return "记录：保存人 " + r.made_by + "，" + r.saved_at + "；按 " + root.spec.document + " 第 " + r.version + " 版" +
      (r.sha256 ? "（SHA-256 " + r.sha256 + "）" : "") + "填写" +
      (r.version !== root.spec.version ? "，按现行第 " + root.spec.version + " 版的表单打印" : "") + "。";
  }

  function fillSheets(root, answer) {
    var spec = root.spec;
    rememberBlanks(root);
    root.querySelectorAll(".form-sheet").forEach(function (sheet) {
      fieldsOf(spec).forEach(function (f) {
        if (f.type === "table") {
          var grid = sheet.querySelector('[data-grid="' + f.id + '"]');
          if (grid) fillGrid(root, grid, f, answer);
        } else {
          var slot = sheet.querySelector('[data-slot="' + f.id + '"]');
          if (slot) fillSlot(root, slot, f, answer);
        }
      });
      var sources = sheet.querySelector("[data-sheet-sources]");
      sources.textContent = answer.values && Object.keys(answer.values).length ? sourcesText(root) : "";
      sources.hidden = !sources.textContent;
      var rec = sheet.querySelector("[data-sheet-record]");
      rec.textContent = recordText(root);
      rec.hidden = !rec.textContent;
    });
  }

  function blankSheets(root) {
    rememberBlanks(root);
    root.querySelectorAll("[data-slot], [data-grid] > tbody").forEach(function (n) {
      n.innerHTML = blanks.get(n);
      n.classList.remove("is-filled");
    });
    root.querySelectorAll("[data-sheet-sources], [data-sheet-record]").forEach(function (n) { n.hidden = true; });
    root.querySelectorAll(".form-sheet__grid-title .form-sheet__mark").forEach(function (n) { n.remove(); });
  }

  // --- talking to Python ----------------------------------------------------------------------

  function call(root, request) {
    request.spec = root.spec;
    return window.HandbookRuntime.call("form-fill", request).then(function (answer) {
      if (answer && answer.error && !answer.errors) throw new Error(answer.error);
      return answer;
    });
  }

  function setState(root, text) {
    root.querySelector("[data-form-state]").textContent = text;
  }

  function showWords(root, answer) {
    root.querySelectorAll("[data-words-for]").forEach(function (p) {
      var words = answer && answer.words[p.dataset.wordsFor];
      p.textContent = words ? "大写：" + words : "";
      p.hidden = !words;
    });
  }

  // Read and check what was typed; on success the sheets show it. Resolves to the answer,
  // or null when a field is wrong (each marked).
  function check(root) {
    clearMarks(root);
    setState(root, window.HandbookRuntime.state() === "loading" ? "正在加载计算引擎，完成后自动检查…" : "正在检查…");
    return call(root, { action: "read", raw: readRaw(root, root.spec) }).then(function (answer) {
      showWords(root, answer);
      if (answer.errors.length) {
        delete root.dataset.checked;
        showErrors(root, answer.errors);
        setState(root, "有 " + answer.errors.length + " 处需要修改");
        return null;
      }
      root.lastRead = answer;
      fillSheets(root, answer);
      root.dataset.checked = "1";
      setState(root, "已检查，可打印或保存");
      return answer;
    }, function (e) {
      showError(root, "检查失败：" + e.message + "。所填内容已保留。");
      setState(root, "检查失败");
      return null;
    });
  }

  // --- printing, saving, loading ----------------------------------------------------------

  function printFilled(root) {
    check(root).then(function (answer) { if (answer) window.print(); });
  }

  function printBlank(root) {
    blankSheets(root);
    root.classList.add("is-printing-blank");
    function done() {
      root.classList.remove("is-printing-blank");
      if (root.lastRead && root.dataset.checked) fillSheets(root, root.lastRead);
      window.removeEventListener("afterprint", done);
    }
    window.addEventListener("afterprint", done);
    window.print();
  }

  function fileName(root) {
    var d = new Date();
    var day = d.getFullYear() + String(d.getMonth() + 1).padStart(2, "0") + String(d.getDate()).padStart(2, "0");
    return root.spec.number + "-" + root.spec.name + "-" + day + ".json";
  }

  function save(root) {
    var madeBy = root.querySelector("[data-made-by]").value;
    var prefill = {};
    Object.keys(root.prefill).forEach(function (k) { prefill[k] = root.prefill[k]; });
    clearMarks(root);
    return call(root, { action: "record", raw: readRaw(root, root.spec), made_by: madeBy, prefill: prefill }).then(function (answer) {
      if (answer.errors) {
        showErrors(root, answer.errors, "记录未保存，请修改标出的 " + answer.errors.length + " 处：");
        setState(root, "记录未保存");
        return null;
      }
      var rec = answer.record;
      root.record = { made_by: rec.made_by, saved_at: rec.saved_at, version: rec.version, sha256: rec.sha256 };
      var text = JSON.stringify(rec, null, 1);
      root.lastRecord = text;   // for the tests and for a second download
      var a = el("a");
      a.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
      a.download = fileName(root);
      a.hidden = true;
      document.body.append(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      dropDraft(root);
      return check(root).then(function () {
        setState(root, "记录已保存为 " + a.download + "（保存在本机，未发送到任何地方）");
        return rec;
      });
    }, function (e) {
      showError(root, "保存失败：" + e.message + "。所填内容已保留。");
      return null;
    });
  }

  function loadText(root, text, name) {
    return call(root, { action: "load", text: text }).then(function (answer) {
      clearForm(root);
      writeRaw(root, root.spec, answer.raw);
      root.prefill = answer.prefill || {};
      root.record = { made_by: answer.made_by, saved_at: answer.saved_at, version: answer.version, sha256: answer.sha256 };
      root.querySelector("[data-made-by]").value = answer.made_by || "";
      showSources(root);
      var lead = "已载入记录“" + name + "”：保存人 " + (answer.made_by || "（未写）") + "，保存于 " + (answer.saved_at || "（未写）") + "。";
      var extra = null;
      if (answer.left_out.length) {
        extra = el("div", "form-notice__left-out");
        extra.append(el("p", null, "原记录中以下栏目已不在本表单中，内容如下（未载入，请核对后另行处理）："));
        var ul = el("ul");
        answer.left_out.forEach(function (x) { ul.append(el("li", null, x.label + "：" + x.value)); });
        extra.append(ul);
      }
      root.dataset.loadedState = answer.state;
      notice(root, [lead].concat(answer.notes), answer.changes, extra);
      saveDraft(root);
      return check(root);
    }, function (e) {
      showError(root, "无法载入“" + name + "”：" + e.message + "。本页所填内容未改动。");
    });
  }

  function loadFile(root, file) {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      showError(root, "“" + file.name + "”过大（最多 5 MB），不是本手册的表单记录。本页所填内容未改动。");
      return;
    }
    file.text().then(function (text) { return loadText(root, text, file.name); });
  }

  // --- prefill marks, drafts ---------------------------------------------------------------

  function showSources(root) {
    root.querySelectorAll("[data-source-for]").forEach(function (p) {
      var s = root.prefill[p.dataset.sourceFor];
      p.textContent = s ? "由“" + (s.title || s.calculator) + "”计算器（" + s.calculator + (s.program ? "，程序 " + s.program : "") +
        "）依据 " + s.document + " 第 " + s.version + " 版算出" + (s.modified ? "，填表人已修改" : "") : "";
      p.hidden = !s;
    });
  }

  function draftKey(root) { return DRAFT_PREFIX + root.dataset.form; }

  function saveDraft(root) {
    var store = storage();
    if (!store) return;
    try {
      store.setItem(draftKey(root), JSON.stringify({ version: root.spec.version, raw: readRaw(root, root.spec),
        prefill: root.prefill, made_by: root.querySelector("[data-made-by]").value }));
    } catch (e) { /* full: the form itself still holds it */ }
  }

  function dropDraft(root) {
    var store = storage();
    if (store) store.removeItem(draftKey(root));
  }

  function takeHandoff(root) {
    var store = storage();
    var text = store && store.getItem(HANDOFF_KEY);
    if (!text) return null;
    var data;
    try { data = JSON.parse(text); } catch (e) { store.removeItem(HANDOFF_KEY); return null; }
    if (!data || data.form !== root.dataset.form) return null;
    store.removeItem(HANDOFF_KEY);
    return data.handoff;
  }

  function applyHandoff(root, handoff) {
    setState(root, "正在填入计算结果…");
    return call(root, { action: "prefill", handoff: handoff }).then(function (answer) {
      clearForm(root);
      writeRaw(root, root.spec, answer.raw);
      root.prefill = answer.sources;
      showSources(root);
      notice(root, ["已由" + answer.basis + "填入 " + Object.keys(answer.raw).length +
        " 项（每项旁注明来源）。请核对，并补全其余栏目；审批意见和签字在打印件上手写。"]);
      saveDraft(root);
      return check(root);
    }, function (e) {
      showError(root, "无法填入计算结果：" + e.message);
    });
  }

  function restoreDraft(root) {
    var store = storage();
    var text = store && store.getItem(draftKey(root));
    if (!text) return false;
    try {
      var draft = JSON.parse(text);
      writeRaw(root, root.spec, draft.raw || {});
      root.prefill = draft.prefill || {};
      root.querySelector("[data-made-by]").value = draft.made_by || "";
      showSources(root);
      notice(root, ["已恢复本页尚未保存的内容（只保存在本浏览器标签页中）" +
        (draft.version && draft.version !== root.spec.version ? "；这些内容是按第 " + draft.version + " 版的表单填写的，请核对" : "") + "。"]);
      return true;
    } catch (e) {
      store.removeItem(draftKey(root));
      return false;
    }
  }

  // --- binding -------------------------------------------------------------------------------

  function edited(root, ev) {
    var field = ev.target.closest && ev.target.closest("[data-field]");
    if (field && root.prefill[field.dataset.field] && !root.prefill[field.dataset.field].modified) {
      root.prefill[field.dataset.field].modified = true;
      showSources(root);
    }
    if (root.dataset.checked) {
      delete root.dataset.checked;
      setState(root, "所填内容已修改，打印或保存前会重新检查");
    }
    var bad = ev.target.closest && ev.target.closest('[aria-invalid="true"]');
    if (bad) bad.removeAttribute("aria-invalid");
    clearTimeout(root.draftTimer);
    root.draftTimer = setTimeout(function () { saveDraft(root); }, 400);
  }

  function attach(root) {
    if (root.dataset.bound || !root.dataset.spec) return;
    root.dataset.bound = "1";
    root.spec = JSON.parse(root.dataset.spec);
    root.prefill = {};
    rememberBlanks(root);
    var runtime = window.HandbookRuntime;
    if (!runtime) {
      root.dataset.state = "error";
      setState(root, "计算引擎不可用：可打印空白表，填写的内容无法检查");
      return;
    }
    runtime.boot();
    function shownState(state, error) {
      root.dataset.state = state;
      if (state === "error") {
        setState(root, STATE_TEXT.error + "：" + error + "。仍可打印空白表；所填内容已保留。");
        if (!root.querySelector(".form-tools__retry")) {
          var retry = el("button", "md-button form-tools__retry", "重试");
          retry.type = "button";
          retry.addEventListener("click", function () { retry.remove(); runtime.retry(); });
          root.querySelector(".form-tools").append(retry);
        }
      } else if (!root.dataset.checked) setState(root, STATE_TEXT[state]);
    }
    runtime.onState(shownState);
    shownState(runtime.state(), runtime.error());
    var form = root.querySelector("form.form-fill");
    form.addEventListener("input", function (ev) { edited(root, ev); });
    form.addEventListener("change", function (ev) { edited(root, ev); });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); check(root); });
    root.querySelectorAll("[data-add-row]").forEach(function (b) {
      b.addEventListener("click", function () {
        var tr = addRow(root, b.dataset.addRow);
        tr.querySelector("input, select, textarea").focus();
      });
    });
    root.querySelector('[data-action="check"]').addEventListener("click", function () { check(root); });
    root.querySelector('[data-action="print"]').addEventListener("click", function () { printFilled(root); });
    root.querySelector('[data-action="print-blank"]').addEventListener("click", function () { printBlank(root); });
    root.querySelector('[data-action="save"]').addEventListener("click", function () { save(root); });
    var load = root.querySelector("[data-load]");
    load.addEventListener("change", function () { loadFile(root, load.files[0]); load.value = ""; });
    var handoff = takeHandoff(root);
    if (handoff) applyHandoff(root, handoff);
    else if (restoreDraft(root)) check(root);
  }

  function init() {
    document.querySelectorAll("[data-form][data-spec]").forEach(attach);
  }

  // For the tests and users' own automation: the same steps as the buttons.
  window.HandbookForms = {
    check: function (root) { return check(root || document.querySelector("[data-form][data-spec]")); },
    save: function (root) { return save(root || document.querySelector("[data-form][data-spec]")); },
    load: function (text, name, root) { return loadText(root || document.querySelector("[data-form][data-spec]"), text, name || "记录"); },
    raw: function (root) { root = root || document.querySelector("[data-form][data-spec]"); return readRaw(root, root.spec); }
  };

  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
