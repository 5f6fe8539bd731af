/*
 * 核对阅读确认书: the rules, with no page in them (onboarding.js shows the result,
 * read-receipt.js makes the receipt). The command `python -m handbook receipts` applies the
 * same rules (handbook/receipts.py, a line-by-line port: RULES below must equal its RULES,
 * and tests/receipt_cases.json holds the worked cases both must pass).
 *
 * HandbookReceipts.check(releases, text, today) -> {
 *   tooLong,                 the text is over MAX_CHARS: nothing else is read
 *   date,                    the receipt's date (YYYY-MM-DD) or null
 *   problems: [{status, text}],                       the receipt as a whole
 *   items: [{doc, version, read, status, text, mismatch, where, revision, latest}],  one per document
 *   mismatches, reread       how many problems and mismatched items; items to re-read
 * }
 * releases: handbook/onboarding.release_data(): [{doc, title, revisions: [{version, kind,
 * released, effective, sha256}, ...]}]; today: YYYY-MM-DD (China time).
 *
 * Two kinds of receipt are read (HandbookReceipts.parse):
 * - a JSON receipt (FORMAT, written by read-receipt.js; fields in README): its `documents`
 *   are the position's reading path, each with `read` true or false;
 * - the earlier text receipt: a document line has a document number (XY-03) and "版本" or
 *   "SHA-256": "XY-03 标题｜版本 2.0｜生效日期 2026-12-01｜SHA-256 <64 hex>", every one read.
 *   Other lines (name, employee number, position, …) are not judged.
 * Each document gets the first rule of RULES that it breaks, in order; one that breaks none
 * is not-read, reread, editorial or current. A JSON receipt that cannot be read as one
 * (not-a-receipt, unknown-format) is one problem and nothing else is judged.
 *
 * What a match shows: the receipt names versions that exist, with their published hashes,
 * released by its date. The hashes are public, so it is not a signature and proves neither
 * reading nor identity.
 */
(function () {
  "use strict";

  var MAX_CHARS = 100000;   // a receipt of every document is about 5,000 characters
  var FORMAT = "handbook-receipt/1";

  // Outcomes, in the order the rules are tried. {x} is filled from the receipt or the record.
  var RULES = [
    // the receipt as a whole
    { status: "not-a-receipt", mismatch: true, text: "不是可核对的阅读确认书：{why}" },
    { status: "unknown-format", mismatch: true, text: "确认书的格式“{format}”不是本手册能核对的格式（" + FORMAT + "）" },
    { status: "no-date", mismatch: true, text: "确认书上没有日期（“日期：YYYY-MM-DD”），无法核对所列版本当时是否已发布" },
    { status: "bad-date", mismatch: true, text: "确认书的日期“{date}”不是实际存在的 YYYY-MM-DD 日期" },
    { status: "future-date", mismatch: true, text: "确认书的日期 {date} 晚于今天（{today}）" },
    { status: "bad-self-check", mismatch: true, text: "自测成绩不成立：{why}" },
    // each document
    { status: "incomplete", mismatch: true, text: "这一项不完整（应有文件编号、版本号和 64 位 SHA-256，JSON 确认书还应写明是否已读）" },
    { status: "unknown-document", mismatch: true, text: "不是本手册的文件" },
    { status: "duplicate", mismatch: true, text: "同一文件在确认书中再次出现（前面已列第 {first} 版）" },
    { status: "unknown-version", mismatch: true, text: "版本 {version} 不在发布记录中" },
    { status: "sha-mismatch", mismatch: true, text: "SHA-256 与发布记录中第 {version} 版的不符" },
    { status: "effective-mismatch", mismatch: true, text: "生效日期 {given} 与发布记录不符（第 {version} 版 {effective} 生效）" },
    { status: "before-release", mismatch: true, text: "确认书日期 {date} 早于第 {version} 版的发布日期 {released}：当天还没有这一版" },
    // a document that matches the record
    { status: "not-read", mismatch: false, text: "未勾选为已读" },
    { status: "reread", mismatch: false, text: "须重新阅读：此后有实质性修订（{revisions}）" },
    { status: "editorial", mismatch: false, text: "无须重读：此后只有编辑性修订（现为第 {latest} 版）" },
    { status: "current", mismatch: false, text: "仍是最新发布的版本" },
  ];
  var BY_STATUS = {};
  RULES.forEach(function (r) { BY_STATUS[r.status] = r; });

  var SELF_CHECK_NUMBERS = "答对题数和总题数应为整数，且 0 ≤ 答对题数 ≤ 总题数、总题数至少 1";

  var DOC = /\b([A-Z]{2}-\d{2})\b/;
  var VERSION = /版本\s*[:：]?\s*(\d+\.\d+)(?![\d.])/;
  var SHA = /SHA-256\s*[:：]?\s*([0-9A-Fa-f]+)/;
  var EFFECTIVE = /生效日期\s*[:：]?\s*(\d{4}-\d{2}-\d{2})/;
  var DATE = /^\s*日期\s*[:：]\s*(\S*)/;
  var FIELD = /^\s*(姓名|工号|岗位)\s*[:：]\s*(.*?)\s*$/;
  var DOC_ONLY = /^[A-Z]{2}-\d{2}$/;
  var VERSION_ONLY = /^\d+\.\d+$/;
  var SHA_ONLY = /^[0-9A-Fa-f]{64}$/;

  function outcome(status, fill) {
    var rule = BY_STATUS[status];
    return { status: status, mismatch: rule.mismatch,
      text: rule.text.replace(/\{(\w+)\}/g, function (_, k) { return String(fill[k]); }) };
  }

  function isDate(s) {
    var m = typeof s === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null;
    if (!m) return false;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  }

  // A value as the receipt wrote it: text as is, anything else as JSON.
  function shown(v) { return typeof v === "string" ? v : JSON.stringify(v); }
  function isCount(v) { return typeof v === "number" && Number.isInteger(v); }
  function text(v) { return typeof v === "string" ? v : ""; }

  // --- reading a receipt -------------------------------------------------------------------
  // -> {kind, problem, date (as written, null if none), person, selfCheck, entries: [{doc,
  //     version, sha, effective (null if not given), read, complete, where}]}

  function parseText(body) {
    var out = { kind: "text", problem: null, date: null, person: {}, selfCheck: null, entries: [] };
    var lines = body.split(/\r\n|\r|\n/);
    lines.some(function (line) {
      var m = DATE.exec(line);
      if (m) out.date = m[1];
      return m !== null;
    });
    lines.forEach(function (line, n) {
      var f = FIELD.exec(line);
      if (f && !(f[1] in out.person)) out.person[f[1]] = f[2];
      if (!(DOC.test(line) && (line.indexOf("版本") >= 0 || line.indexOf("SHA-256") >= 0))) return;
      var version = VERSION.exec(line), sha = SHA.exec(line), given = EFFECTIVE.exec(line);
      out.entries.push({ doc: DOC.exec(line)[1], version: version ? version[1] : "", sha: sha ? sha[1] : "",
        effective: given ? given[1] : null, read: true,
        complete: !!(version && sha && sha[1].length === 64), where: "第 " + (n + 1) + " 行" });
    });
    out.person = { name: out.person["姓名"] || "", employee: out.person["工号"] || "",
      position: out.person["岗位"] ? { id: "", name: out.person["岗位"] } : null };
    return out;
  }

  function parseJson(body) {
    var out = { kind: "json", problem: null, date: null, person: {}, selfCheck: null, entries: [] };
    var data;
    try { data = JSON.parse(body); } catch (e) {
      out.problem = ["not-a-receipt", { why: "不是有效的 JSON" }];
      return out;
    }
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      out.problem = ["not-a-receipt", { why: "JSON 的最外层应是一个对象" }];
      return out;
    }
    if (data.format !== FORMAT) {
      out.problem = typeof data.format === "string" && data.format.indexOf("handbook-receipt/") === 0
        ? ["unknown-format", { format: data.format }]
        : ["not-a-receipt", { why: "没有 format: " + FORMAT }];
      return out;
    }
    if (!Array.isArray(data.documents)) {
      out.problem = ["not-a-receipt", { why: "没有文件清单（documents）" }];
      return out;
    }
    out.date = data.date === undefined || data.date === null || data.date === "" ? null : shown(data.date);
    var pos = data.position;
    out.person = { name: text(data.name), employee: text(data.employee),
      position: pos && typeof pos === "object" && !Array.isArray(pos) ? { id: text(pos.id), name: text(pos.name) } : null };
    out.selfCheck = data.self_check === undefined ? null : data.self_check;
    data.documents.forEach(function (d, k) {
      var e = d !== null && typeof d === "object" && !Array.isArray(d) ? d : {};
      var given = e.effective === undefined || e.effective === null ? null : e.effective;
      out.entries.push({ doc: text(e.doc), version: text(e.version), sha: text(e.sha256),
        effective: typeof given === "string" ? given : null, read: e.read === true,
        complete: DOC_ONLY.test(text(e.doc)) && VERSION_ONLY.test(text(e.version)) && SHA_ONLY.test(text(e.sha256)) &&
          typeof e.read === "boolean" && (given === null || typeof given === "string"),
        where: "第 " + (k + 1) + " 项" });
    });
    return out;
  }

  function parse(body) {
    body = body.replace(/^\ufeff/, "");
    return /^\s*[{[]/.test(body) ? parseJson(body) : parseText(body);
  }

  // --- judging -----------------------------------------------------------------------------

  function selfCheckProblem(sc, date) {
    if (sc === null) return null;
    if (typeof sc !== "object" || Array.isArray(sc)) return SELF_CHECK_NUMBERS;
    if (!isCount(sc.right) || !isCount(sc.total) || sc.right < 0 || sc.total < 1 || sc.right > sc.total) {
      return SELF_CHECK_NUMBERS;
    }
    if (!isDate(sc.date)) return "自测日期“" + shown(sc.date) + "”不是实际存在的 YYYY-MM-DD 日期";
    if (date && sc.date > date) return "自测日期 " + sc.date + " 晚于确认书日期 " + date;
    return null;
  }

  function judge(entry, byDoc, seen, date) {
    var item = { doc: entry.doc, version: entry.version, read: entry.read, where: entry.where };
    var r = byDoc[entry.doc];
    function done(status, fill) {
      var o = outcome(status, fill || {});
      item.status = o.status; item.mismatch = o.mismatch; item.text = o.text;
      return item;
    }
    if (!entry.complete) return done("incomplete");
    if (!r) return done("unknown-document");
    if (seen[entry.doc] !== undefined) return done("duplicate", { first: seen[entry.doc] });
    seen[entry.doc] = entry.version;
    var k = r.revisions.findIndex(function (v) { return v.version === entry.version; });
    if (k < 0) return done("unknown-version", item);
    var rev = r.revisions[k], last = r.revisions[r.revisions.length - 1];
    item.revision = rev;
    item.latest = last;
    if (rev.sha256 !== entry.sha.toLowerCase()) return done("sha-mismatch", item);
    if (entry.effective !== null && entry.effective !== rev.effective) {
      return done("effective-mismatch", { given: entry.effective, version: rev.version, effective: rev.effective });
    }
    if (date && date < rev.released) return done("before-release", { date: date, version: rev.version, released: rev.released });
    if (!entry.read) return done("not-read");
    var later = r.revisions.slice(k + 1);
    var major = later.filter(function (v) { return v.kind === "substantive"; });
    if (major.length) {
      return done("reread", { revisions: major.map(function (v) {
        return "第 " + v.version + " 版，" + v.effective + " 生效"; }).join("；") });
    }
    if (later.length) return done("editorial", { latest: last.version });
    return done("current");
  }

  function check(releases, body, today) {
    var result = { tooLong: false, date: null, problems: [], items: [], mismatches: 0, reread: 0 };
    if (body.length > MAX_CHARS) { result.tooLong = true; return result; }
    var receipt = parse(body);
    result.receipt = receipt;
    if (receipt.problem) {
      result.problems.push(outcome(receipt.problem[0], receipt.problem[1]));
      result.mismatches = 1;
      return result;
    }
    var byDoc = {};
    releases.forEach(function (r) { byDoc[r.doc] = r; });
    var d = receipt.date;
    if (d === null) result.problems.push(outcome("no-date", {}));
    else if (!isDate(d)) result.problems.push(outcome("bad-date", { date: d }));
    else if (today && d > today) result.problems.push(outcome("future-date", { date: d, today: today }));
    else result.date = d;
    var why = selfCheckProblem(receipt.selfCheck, result.date);
    if (why) result.problems.push(outcome("bad-self-check", { why: why }));
    var seen = {};
    receipt.entries.forEach(function (e) { result.items.push(judge(e, byDoc, seen, result.date)); });
    result.mismatches = result.problems.length + result.items.filter(function (i) { return i.mismatch; }).length;
    result.reread = result.items.filter(function (i) { return i.status === "reread"; }).length;
    return result;
  }

  // Today in China time, whatever the reader's clock zone: the receipt's date and the check's.
  function chinaToday() {
    var parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric",
      month: "2-digit", day: "2-digit" }).formatToParts(new Date());
    var get = function (t) { return parts.find(function (p) { return p.type === t; }).value; };
    return get("year") + "-" + get("month") + "-" + get("day");
  }

  window.HandbookReceipts = { check: check, parse: parse, RULES: RULES, MAX_CHARS: MAX_CHARS, FORMAT: FORMAT,
    today: chinaToday };
})();
