/*
 * 核对阅读确认书: the rules, with no page in them (onboarding.js shows the result). A later
 * command-line check applies the same rules: RULES below is the table of outcomes and
 * tests/receipt_cases.json the worked cases any implementation must pass.
 *
 * HandbookReceipts.check(releases, text, today) -> {
 *   tooLong,                 the text is over MAX_CHARS: nothing else is read
 *   date,                    the receipt's 日期 (YYYY-MM-DD) or null
 *   problems: [{status, text}],                       the receipt as a whole (its date)
 *   items: [{doc, version, status, text, mismatch, revision, latest}],  one per document line
 *   mismatches, reread       how many problems and mismatched lines; lines to re-read
 * }
 * releases: handbook/onboarding.release_data(): [{doc, title, revisions: [{version, kind,
 * released, effective, sha256}, ...]}]; today: YYYY-MM-DD (China time).
 *
 * A document line is a line with a document number (XY-03) and "版本" or "SHA-256", as the
 * receipt writes them: "XY-03 标题｜版本 2.0｜生效日期 2026-12-01｜SHA-256 <64 hex>". Each
 * gets the first rule of RULES that it breaks, in order; a line that breaks none is reread,
 * editorial or current. Other lines (name, employee number, position, anything a later
 * receipt adds) are not read.
 *
 * What a match shows: the receipt names versions that exist, with their published hashes,
 * released by its date. The hashes are public, so it is not a signature and proves neither
 * reading nor identity.
 */
(function () {
  "use strict";

  var MAX_CHARS = 100000;   // a receipt of every document is about 3,000 characters

  // Outcomes, in the order the rules are tried. {x} is filled from the line or the record.
  var RULES = [
    // the receipt as a whole
    { status: "no-date", mismatch: true, text: "确认书上没有日期（“日期：YYYY-MM-DD”），无法核对所列版本当时是否已发布" },
    { status: "bad-date", mismatch: true, text: "确认书的日期“{date}”不是实际存在的 YYYY-MM-DD 日期" },
    { status: "future-date", mismatch: true, text: "确认书的日期 {date} 晚于今天（{today}）" },
    // each document line
    { status: "incomplete", mismatch: true, text: "这一行没有完整的版本号和 64 位 SHA-256" },
    { status: "unknown-document", mismatch: true, text: "不是本手册的文件" },
    { status: "duplicate", mismatch: true, text: "同一文件在确认书中再次出现（前面已列第 {first} 版）" },
    { status: "unknown-version", mismatch: true, text: "版本 {version} 不在发布记录中" },
    { status: "sha-mismatch", mismatch: true, text: "SHA-256 与发布记录中第 {version} 版的不符" },
    { status: "effective-mismatch", mismatch: true, text: "生效日期 {given} 与发布记录不符（第 {version} 版 {effective} 生效）" },
    { status: "before-release", mismatch: true, text: "确认书日期 {date} 早于第 {version} 版的发布日期 {released}：当天还没有这一版" },
    // a line that matches the record
    { status: "reread", mismatch: false, text: "须重新阅读：此后有实质性修订（{revisions}）" },
    { status: "editorial", mismatch: false, text: "无须重读：此后只有编辑性修订（现为第 {latest} 版）" },
    { status: "current", mismatch: false, text: "仍是最新发布的版本" },
  ];
  var BY_STATUS = {};
  RULES.forEach(function (r) { BY_STATUS[r.status] = r; });

  var DOC = /\b([A-Z]{2}-\d{2})\b/;
  var VERSION = /版本\s*[:：]?\s*(\d+\.\d+)(?![\d.])/;
  var SHA = /SHA-256\s*[:：]?\s*([0-9A-Fa-f]+)/;
  var EFFECTIVE = /生效日期\s*[:：]?\s*(\d{4}-\d{2}-\d{2})/;
  var DATE = /^\s*日期\s*[:：]\s*(\S*)/;

  function outcome(status, fill) {
    var rule = BY_STATUS[status];
    return { status: status, mismatch: rule.mismatch,
      text: rule.text.replace(/\{(\w+)\}/g, function (_, k) { return String(fill[k]); }) };
  }

  function isDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return false;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  }

  function judgeLine(line, byDoc, seen, date) {
    var doc = DOC.exec(line)[1];
    var version = VERSION.exec(line), sha = SHA.exec(line), given = EFFECTIVE.exec(line);
    var item = { doc: doc, version: version ? version[1] : "" };
    var r = byDoc[doc];
    function done(status, fill) {
      var o = outcome(status, fill || {});
      item.status = o.status; item.mismatch = o.mismatch; item.text = o.text;
      return item;
    }
    if (!version || !sha || sha[1].length !== 64) return done("incomplete");
    if (!r) return done("unknown-document");
    if (seen[doc] !== undefined) return done("duplicate", { first: seen[doc] });
    seen[doc] = item.version;
    var k = r.revisions.findIndex(function (v) { return v.version === item.version; });
    if (k < 0) return done("unknown-version", item);
    var rev = r.revisions[k], last = r.revisions[r.revisions.length - 1];
    item.revision = rev;
    item.latest = last;
    if (rev.sha256 !== sha[1].toLowerCase()) return done("sha-mismatch", item);
    if (given && given[1] !== rev.effective) {
      return done("effective-mismatch", { given: given[1], version: rev.version, effective: rev.effective });
    }
    if (date && date < rev.released) return done("before-release", { date: date, version: rev.version, released: rev.released });
    var later = r.revisions.slice(k + 1);
    var major = later.filter(function (v) { return v.kind === "substantive"; });
    if (major.length) {
      return done("reread", { revisions: major.map(function (v) {
        return "第 " + v.version + " 版，" + v.effective + " 生效"; }).join("；") });
    }
    if (later.length) return done("editorial", { latest: last.version });
    return done("current");
  }

  function check(releases, text, today) {
    var result = { tooLong: false, date: null, problems: [], items: [], mismatches: 0, reread: 0 };
    if (text.length > MAX_CHARS) { result.tooLong = true; return result; }
    var byDoc = {};
    releases.forEach(function (r) { byDoc[r.doc] = r; });
    var lines = text.split(/\r\n|\r|\n/);
    var dateText = null;
    lines.some(function (line) {
      var m = DATE.exec(line);
      if (m) dateText = m[1];
      return m !== null;
    });
    if (dateText === null) result.problems.push(outcome("no-date", {}));
    else if (!isDate(dateText)) result.problems.push(outcome("bad-date", { date: dateText }));
    else if (today && dateText > today) result.problems.push(outcome("future-date", { date: dateText, today: today }));
    else result.date = dateText;
    var seen = {};
    lines.forEach(function (line) {
      if (DOC.test(line) && (line.indexOf("版本") >= 0 || line.indexOf("SHA-256") >= 0)) {
        result.items.push(judgeLine(line, byDoc, seen, result.date));
      }
    });
    result.mismatches = result.problems.length + result.items.filter(function (i) { return i.mismatch; }).length;
    result.reread = result.items.filter(function (i) { return i.status === "reread"; }).length;
    return result;
  }

  window.HandbookReceipts = { check: check, RULES: RULES, MAX_CHARS: MAX_CHARS };
})();
