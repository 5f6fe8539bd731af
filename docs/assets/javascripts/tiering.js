/*
 * Customer tiering from a file (KH-02), the page side of calc/tiering_csv.py:
 * window.HandbookTiering, used by calculator-upload.js for the upload's answer.
 *
 * - A refused file: the headline and one line per cause, no result and no download.
 * - A tiered file: the ranked list in pages of 100, read from the download itself (the
 *   answer carries the list once, as CSV: 100,000 customers as objects were 20 MB for the
 *   page to parse), the file's name, encoding and rows, and the download.
 * - The printed record (打印计算记录): the ranked list with how each tie was decided, the
 *   file, and the columns of the download that are not shown once elsewhere.
 */
(function () {
  "use strict";

  var PAGE_ROWS = 100;
  // A longer list is not printed (hundreds of pages): the record names the download and
  // its SHA-256 instead, so the attachment can be checked against the record.
  var PRINT_ROWS = 5000;
  // Shown once, in the 依据 line, not on every row.
  var ONCE = ["依据", "适用日期"];
  var PRINTED = ["客户编号", "客户名称", "总分", "名次", "分级", "同分处理"];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // One line of the download into its cells (calc/csv_table.py quotes a cell holding a
  // comma or a quote, and doubles the quote).
  function cells(line) {
    if (line.indexOf('"') < 0) return line.split(",");
    var out = [];
    var cell = "";
    var quoted = false;
    for (var i = 0; i < line.length; i++) {
      var ch = line.charAt(i);
      if (quoted) {
        if (ch !== '"') cell += ch;
        else if (line.charAt(i + 1) === '"') { cell += '"'; i += 1; }
        else quoted = false;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") { out.push(cell); cell = ""; }
      else cell += ch;
    }
    out.push(cell);
    return out;
  }

  // The ranked list: one line per customer (no cell holds a line break: the reader refuses
  // them). The text is kept whole and a line is found when a page of it is shown or
  // printed: 100,000 line strings at once cost the page a pause and their garbage.
  function RankedList(csv, size) {
    this.text = csv;
    this.starts = [csv.charAt(0) === "\ufeff" ? 1 : 0];   // where each line found so far starts
    this.header = cells(this.line(0));
    this.size = size;   // one line per customer after the header
  }
  RankedList.prototype.line = function (k) {
    while (this.starts.length <= k + 1) {
      var end = this.text.indexOf("\r\n", this.starts[this.starts.length - 1]);
      this.starts.push(end < 0 ? this.text.length + 2 : end + 2);
    }
    return this.text.slice(this.starts[k], this.starts[k + 1] - 2);
  };
  RankedList.prototype.row = function (k) { return cells(this.line(k + 1)); };
  RankedList.prototype.column = function (name) { return this.header.indexOf(name); };
  RankedList.prototype.first = function (name) {
    var k = this.column(name);
    return k < 0 || !this.size ? "" : this.row(0)[k];
  };

  // The download guards a cell that a spreadsheet would run as a formula with a leading '
  // (calc/csv_table.py safe_cell); the page and the record show the id as written.
  function asWritten(cell) {
    return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
  }

  function table(className, headings) {
    var t = el("table", className);
    var head = el("tr");
    headings.forEach(function (h) { head.append(el("th", null, h)); });
    var thead = el("thead");
    thead.append(head);
    t.append(thead, el("tbody"));
    return t;
  }

  // The list on screen, by rank, a page at a time.
  function listView(list) {
    var shown = list.header.map(function (h, k) { return k; }).filter(function (k) {
      return ONCE.indexOf(list.header[k]) < 0;
    });
    var headings = shown.map(function (k) { return list.header[k]; });
    var tier = list.column("分级");
    var block = el("div", "calc__customers-block");
    var wrap = el("div", "calc__table-wrap calc__customers-wrap");
    var t = table("calc__customers", headings);
    wrap.append(t);
    var body = t.querySelector("tbody");
    var pages = Math.max(1, Math.ceil(list.size / PAGE_ROWS));
    var page = 0;
    var pager = el("div", "calc__pager");
    var prev = el("button", "md-button calc__pager-prev", "上一页");
    var next = el("button", "md-button calc__pager-next", "下一页");
    var info = el("span", "calc__pager-info");
    info.setAttribute("aria-live", "polite");
    prev.type = next.type = "button";
    prev.addEventListener("click", function () { if (page > 0) { page -= 1; render(); } });
    next.addEventListener("click", function () { if (page < pages - 1) { page += 1; render(); } });
    function render() {
      var rows = [];
      for (var k = page * PAGE_ROWS; k < Math.min(list.size, (page + 1) * PAGE_ROWS); k++) {
        var row = list.row(k);
        var tr = el("tr");
        tr.dataset.tier = row[tier];
        shown.forEach(function (c, i) {
          var td = el("td", null, asWritten(row[c]));
          td.dataset.label = headings[i];
          tr.append(td);
        });
        rows.push(tr);
      }
      body.replaceChildren.apply(body, rows);
      info.textContent = "第 " + (page * PAGE_ROWS + 1) + "–" + Math.min(list.size, (page + 1) * PAGE_ROWS) +
        " 名（按名次），共 " + list.size + " 个客户，第 " + (page + 1) + "/" + pages + " 页";
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    render();
    pager.append(prev, info, next);
    if (pages > 1) block.append(pager);
    block.append(wrap);
    return block;
  }

  /** @param {TieringShown} t */
  function fileText(t) {
    return "文件：" + t.file + "；文件编码：" + t.encoding + "；共 " + t.rows + " 行数据，参加分级 " + t.list.size + " 个客户" +
      (t.ignored.length ? "；未使用的列：" + t.ignored.join("、") : "") + "。";
  }

  // The download as a file: encoding 100,000 rows (7 MB) for a Blob at once held the page
  // for 150 ms, so it is encoded a piece of whole lines per task (a line end never splits
  // a character); a click before the last piece finishes the rest at once.
  var PIECE = 1 << 19;
  function downloadable(link, csv) {
    var parts = [];
    var done = 0;
    function encode(all) {
      if (link.href || (!all && done && !link.isConnected)) return;   // ready, or a newer file replaced it
      do {
        var end = csv.indexOf("\n", done + PIECE);
        end = end < 0 ? csv.length : end + 1;
        parts.push(new Blob([csv.slice(done, end)]));
        done = end;
      } while (all && done < csv.length);
      if (done < csv.length) { setTimeout(encode, 0); return; }
      link.href = URL.createObjectURL(new Blob(parts, { type: "text/csv;charset=utf-8" }));
    }
    link.addEventListener("click", function () { if (!link.href) encode(true); });
    setTimeout(encode, 0);
  }

  // The upload's answer into the calculator (calculator-upload.js hands over the result's helpers).
  /**
   * @param {CalculatorRoot} root
   * @param {TieringAnswer} answer
   * @param {string} fileName
   * @param {Parameters<HandbookTiering["show"]>[3]} page
   */
  function show(root, answer, fileName, page) {
    var input = /** @type {HTMLInputElement} */ (root.querySelector('input[type="file"]'));
    if (answer.error) {
      // Nothing is tiered: the headline, then each cause once with its lines.
      var box = root.querySelector(".calc__error");
      box.replaceChildren(el("p", null, answer.error));
      if (answer.problems && answer.problems.length) {
        var ul = el("ul", "calc__problems");
        answer.problems.forEach(function (p) { ul.append(el("li", null, p.message)); });
        box.append(ul);
      }
      box.hidden = false;
      page.markFieldErrors(root, [{ field: input.name, message: answer.error.split("：")[0] }]);
      return;
    }
    var list = new RankedList(answer.csv, answer.rows);   // every row of the file is a customer
    page.showResult(root, answer.result);
    var tiering = { file: fileName || "（未命名）", encoding: answer.encoding, rows: answer.rows, list: list,
      ignored: answer.ignored_columns || [], sha256: answer.csv_sha256 || "",
      download: (fileName || "客户清单").replace(/\.csv$/i, "") + "-分级结果.csv" };
    root.lastAnswer.tiering = tiering;
    root.lastAnswer.file = tiering.file + "（" + tiering.encoding + "，共 " + tiering.rows + " 行数据，参加分级 " +
      list.size + " 个客户）";
    var result = root.querySelector(".calc__result");
    var note = el("p", "calc__upload-note", fileText(tiering));
    var link = el("a", "md-button calc__download", "下载结果（CSV）");
    link.download = tiering.download;
    result.insertBefore(note, result.children[1] || null);
    result.insertBefore(link, note.nextSibling);
    // The list in a task of its own, after the result is drawn (unless a newer file came),
    // and before the download's first piece is encoded.
    var place = document.createElement("div");
    place.className = "calc__customers-block";
    result.insertBefore(place, result.querySelector(".calc__policy") || result.querySelector(".calc__result-actions"));
    setTimeout(function () { if (place.isConnected) place.replaceWith(listView(list)); }, 0);
    downloadable(link, answer.csv);
  }

  // The record's part for a tiering: the ranked list (or, past PRINT_ROWS, the download it
  // stands for) with how each tie was decided.
  /** @param {LastAnswer} last @param {HandbookCalc["columnsTable"]} columnsTable */
  function record(last, columnsTable) {
    var t = last.tiering;
    var part = document.createDocumentFragment();
    var basis = t.list.first("依据");
    part.append(el("h2", null, "客户分级名单（按名次）"));
    part.append(el("p", "calc-record__file", fileText(t) + (basis ? "依据：" + basis + "，适用日期 " + t.list.first("适用日期") + "。" : "")));
    if (t.list.size > PRINT_ROWS) {
      part.append(el("p", "calc-record__list-elsewhere", "名单共 " + t.list.size + " 行，超过打印上限 " + PRINT_ROWS +
        " 行，未打印：以下载的文件《" + t.download + "》为准" + (t.sha256 ? "（SHA-256 " + t.sha256 + "）" : "") + "。"));
      return part;
    }
    var keep = PRINTED.map(function (h) { return t.list.column(h); }).filter(function (k) { return k >= 0; });
    var rows = [];
    for (var k = 0; k < t.list.size; k++) {
      var row = t.list.row(k);
      var tr = el("tr");
      keep.forEach(function (c) { tr.append(el("td", null, asWritten(row[c]))); });
      rows.push(tr);
    }
    part.append(columnsTable("calc-record__customers", keep.map(function (c) { return t.list.header[c]; }), rows));
    return part;
  }

  window.HandbookTiering = { show: show, record: record, cells: cells, PRINT_ROWS: PRINT_ROWS };
})();
