"""阅读确认书: the page's checker (docs/assets/javascripts/receipt-check.js) in Python, for
`python -m handbook receipts`. A line-by-line port: RULES is the page's table (a test reads
it from the script and compares), and tests/receipt_cases.json holds the worked cases both
pass. Change a rule in both, with a case.

check(releases, text, today) returns what the page's check returns, as a dict, plus `where`
(the line of a text receipt, the place in a JSON receipt's list, the line and column of
broken JSON) and the parsed receipt. releases: handbook.onboarding.release_data().

Where JavaScript and Python read differently, this follows the page: lengths in UTF-16 code
units, ASCII digits and word boundaries, JavaScript's white space, 5.0 an integer, no NaN.
"""

import json
import math
import re
from dataclasses import dataclass, field

MAX_CHARS = 100_000   # a receipt of every document is about 5,000 characters
FORMAT = "handbook-receipt/1"

# Outcomes, in the order the rules are tried. {x} is filled from the receipt or the record.
RULES = [
    # the receipt as a whole
    {"status": "not-a-receipt", "mismatch": True, "text": "不是可核对的阅读确认书：{why}"},
    {"status": "unknown-format", "mismatch": True, "text": "确认书的格式“{format}”不是本手册能核对的格式（" + FORMAT + "）"},
    {"status": "no-date", "mismatch": True, "text": "确认书上没有日期（“日期：YYYY-MM-DD”），无法核对所列版本当时是否已发布"},
    {"status": "bad-date", "mismatch": True, "text": "确认书的日期“{date}”不是实际存在的 YYYY-MM-DD 日期"},
    {"status": "future-date", "mismatch": True, "text": "确认书的日期 {date} 晚于今天（{today}）"},
    {"status": "bad-self-check", "mismatch": True, "text": "自测成绩不成立：{why}"},
    # each document
    {"status": "incomplete", "mismatch": True,
     "text": "这一项不完整（应有文件编号、版本号和 64 位 SHA-256，JSON 确认书还应写明是否已读）"},
    {"status": "unknown-document", "mismatch": True, "text": "不是本手册的文件"},
    {"status": "duplicate", "mismatch": True, "text": "同一文件在确认书中再次出现（前面已列第 {first} 版）"},
    {"status": "unknown-version", "mismatch": True, "text": "版本 {version} 不在发布记录中"},
    {"status": "sha-mismatch", "mismatch": True, "text": "SHA-256 与发布记录中第 {version} 版的不符"},
    {"status": "effective-mismatch", "mismatch": True,
     "text": "生效日期 {given} 与发布记录不符（第 {version} 版 {effective} 生效）"},
    {"status": "before-release", "mismatch": True,
     "text": "确认书日期 {date} 早于第 {version} 版的发布日期 {released}：当天还没有这一版"},
    # a document that matches the record
    {"status": "not-read", "mismatch": False, "text": "未勾选为已读"},
    {"status": "reread", "mismatch": False, "text": "须重新阅读：此后有实质性修订（{revisions}）"},
    {"status": "editorial", "mismatch": False, "text": "无须重读：此后只有编辑性修订（现为第 {latest} 版）"},
    {"status": "current", "mismatch": False, "text": "仍是最新发布的版本"},
]
_BY_STATUS = {r["status"]: r for r in RULES}

SELF_CHECK_NUMBERS = "答对题数和总题数应为整数，且 0 ≤ 答对题数 ≤ 总题数、总题数至少 1"

# JavaScript's \s (Python's would add \x1c-\x1f and \x85 and leave out the BOM).
_S = "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_NS = _S.replace("[", "[^", 1)
_DOC = re.compile(r"\b([A-Z]{2}-[0-9]{2})\b", re.ASCII)
_VERSION = re.compile(rf"版本{_S}*[:：]?{_S}*([0-9]+\.[0-9]+)(?![0-9.])")
_SHA = re.compile(rf"SHA-256{_S}*[:：]?{_S}*([0-9A-Fa-f]+)")
_EFFECTIVE = re.compile(rf"生效日期{_S}*[:：]?{_S}*([0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})")
_DATE = re.compile(rf"{_S}*日期{_S}*[:：]{_S}*({_NS}*)")
_FIELD = re.compile(rf"{_S}*(姓名|工号|岗位){_S}*[:：]{_S}*(.*?){_S}*")
_LINES = re.compile(r"\r\n|\r|\n")
_DOC_ONLY = re.compile(r"[A-Z]{2}-[0-9]{2}")
_VERSION_ONLY = re.compile(r"[0-9]+\.[0-9]+")
_SHA_ONLY = re.compile(r"[0-9A-Fa-f]{64}")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _outcome(status: str, fill: dict) -> dict:
    rule = _BY_STATUS[status]
    return {"status": status, "mismatch": rule["mismatch"],
            "text": re.sub(r"\{(\w+)\}", lambda m: str(fill[m[1]]), rule["text"])}


def is_date(s) -> bool:
    m = _ISO.fullmatch(s) if isinstance(s, str) else None
    if not m:
        return False
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    if not 1 <= mo <= 12 or d < 1:
        return False
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    return d <= (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[mo - 1]


def _shown(v) -> str:
    """A value as the receipt wrote it: text as is, anything else as JSON (as the page)."""
    if isinstance(v, str):
        return v
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def _is_count(v) -> bool:
    if isinstance(v, bool):
        return False
    return isinstance(v, int) or isinstance(v, float) and math.isfinite(v) and v.is_integer()


def _text(v) -> str:
    return v if isinstance(v, str) else ""


def _js_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


# --- reading a receipt -------------------------------------------------------------------

@dataclass
class Entry:
    doc: str
    version: str
    sha: str
    effective: str | None   # None: not given
    read: bool
    complete: bool
    where: str


@dataclass
class Receipt:
    kind: str                          # json | text
    problem: tuple | None = None       # (status, fill, where) when it cannot be read as a receipt
    date: str | None = None            # as written; None: none
    name: str = ""
    employee: str = ""
    position_id: str = ""
    position_name: str = ""
    self_check: object = None
    entries: list[Entry] = field(default_factory=list)


def _parse_text(body: str) -> Receipt:
    out = Receipt("text")
    lines = _LINES.split(body)
    for line in lines:
        m = _DATE.match(line)
        if m:
            out.date = m[1]
            break
    person = {}
    for n, line in enumerate(lines, 1):
        f = _FIELD.fullmatch(line)
        if f and f[1] not in person:
            person[f[1]] = f[2]
        if not (_DOC.search(line) and ("版本" in line or "SHA-256" in line)):
            continue
        version, sha, given = _VERSION.search(line), _SHA.search(line), _EFFECTIVE.search(line)
        out.entries.append(Entry(_DOC.search(line)[1], version[1] if version else "", sha[1] if sha else "",
                                 given[1] if given else None, True,
                                 bool(version and sha and len(sha[1]) == 64), f"第 {n} 行"))
    out.name, out.employee, out.position_name = person.get("姓名", ""), person.get("工号", ""), person.get("岗位", "")
    return out


def _no_constants(name):
    raise ValueError(name)


def _parse_json(body: str) -> Receipt:
    out = Receipt("json")
    try:
        data = json.loads(body, parse_constant=_no_constants)
    except json.JSONDecodeError as e:
        out.problem = ("not-a-receipt", {"why": "不是有效的 JSON"}, f"第 {e.lineno} 行第 {e.colno} 列")
        return out
    except (ValueError, RecursionError):
        out.problem = ("not-a-receipt", {"why": "不是有效的 JSON"}, None)
        return out
    if not isinstance(data, dict):
        out.problem = ("not-a-receipt", {"why": "JSON 的最外层应是一个对象"}, None)
        return out
    fmt = data.get("format")
    if fmt != FORMAT:
        out.problem = (("unknown-format", {"format": fmt}, None)
                       if isinstance(fmt, str) and fmt.startswith("handbook-receipt/")
                       else ("not-a-receipt", {"why": f"没有 format: {FORMAT}"}, None))
        return out
    if not isinstance(data.get("documents"), list):
        out.problem = ("not-a-receipt", {"why": "没有文件清单（documents）"}, None)
        return out
    date = data.get("date")
    out.date = None if date is None or date == "" else _shown(date)
    out.name, out.employee = _text(data.get("name")), _text(data.get("employee"))
    pos = data.get("position")
    if isinstance(pos, dict):
        out.position_id, out.position_name = _text(pos.get("id")), _text(pos.get("name"))
    out.self_check = data.get("self_check")
    for k, d in enumerate(data["documents"], 1):
        e = d if isinstance(d, dict) else {}
        given = e.get("effective")
        doc, version, sha = _text(e.get("doc")), _text(e.get("version")), _text(e.get("sha256"))
        complete = bool(_DOC_ONLY.fullmatch(doc) and _VERSION_ONLY.fullmatch(version) and _SHA_ONLY.fullmatch(sha)
                        and isinstance(e.get("read"), bool) and (given is None or isinstance(given, str)))
        out.entries.append(Entry(doc, version, sha, given if isinstance(given, str) else None,
                                 e.get("read") is True, complete, f"第 {k} 项"))
    return out


def parse(body: str) -> Receipt:
    body = body[1:] if body.startswith("\ufeff") else body
    return _parse_json(body) if re.match(rf"{_S}*[{{\[]", body) else _parse_text(body)


# --- judging ---------------------------------------------------------------------------

def _self_check_problem(sc, date: str | None) -> str | None:
    if sc is None:
        return None
    if not isinstance(sc, dict):
        return SELF_CHECK_NUMBERS
    right, total = sc.get("right"), sc.get("total")
    if not _is_count(right) or not _is_count(total) or right < 0 or total < 1 or right > total:
        return SELF_CHECK_NUMBERS
    day = sc.get("date")
    if not is_date(day):
        return f"自测日期“{_shown(day)}”不是实际存在的 YYYY-MM-DD 日期"
    if date and day > date:
        return f"自测日期 {day} 晚于确认书日期 {date}"
    return None


def _judge(entry: Entry, by_doc: dict, seen: dict, date: str | None) -> dict:
    item = {"doc": entry.doc, "version": entry.version, "read": entry.read, "where": entry.where}

    def done(status, fill=None):
        item.update(_outcome(status, fill or {}))
        return item

    if not entry.complete:
        return done("incomplete")
    r = by_doc.get(entry.doc)
    if r is None:
        return done("unknown-document")
    if entry.doc in seen:
        return done("duplicate", {"first": seen[entry.doc]})
    seen[entry.doc] = entry.version
    k = next((i for i, v in enumerate(r["revisions"]) if v["version"] == entry.version), -1)
    if k < 0:
        return done("unknown-version", item)
    rev, last = r["revisions"][k], r["revisions"][-1]
    item["revision"], item["latest"] = rev, last
    if rev["sha256"] != entry.sha.lower():
        return done("sha-mismatch", item)
    if entry.effective is not None and entry.effective != rev["effective"]:
        return done("effective-mismatch", {"given": entry.effective, "version": rev["version"],
                                           "effective": rev["effective"]})
    if date and date < rev["released"]:
        return done("before-release", {"date": date, "version": rev["version"], "released": rev["released"]})
    if not entry.read:
        return done("not-read")
    later = r["revisions"][k + 1:]
    major = [v for v in later if v["kind"] == "substantive"]
    if major:
        return done("reread", {"revisions": "；".join(f"第 {v['version']} 版，{v['effective']} 生效" for v in major)})
    if later:
        return done("editorial", {"latest": last["version"]})
    return done("current")


def check(releases: list[dict], body: str, today: str | None) -> dict:
    result = {"tooLong": False, "date": None, "problems": [], "items": [], "mismatches": 0, "reread": 0,
              "receipt": None}
    if _js_length(body) > MAX_CHARS:
        result["tooLong"] = True
        return result
    receipt = parse(body)
    result["receipt"] = receipt
    if receipt.problem:
        status, fill, where = receipt.problem
        result["problems"].append({**_outcome(status, fill), "where": where})
        result["mismatches"] = 1
        return result
    by_doc = {r["doc"]: r for r in releases}
    d = receipt.date
    if d is None:
        result["problems"].append(_outcome("no-date", {}))
    elif not is_date(d):
        result["problems"].append(_outcome("bad-date", {"date": d}))
    elif today and d > today:
        result["problems"].append(_outcome("future-date", {"date": d, "today": today}))
    else:
        result["date"] = d
    why = _self_check_problem(receipt.self_check, result["date"])
    if why:
        result["problems"].append(_outcome("bad-self-check", {"why": why}))
    seen: dict = {}
    result["items"] = [_judge(e, by_doc, seen, result["date"]) for e in receipt.entries]
    result["mismatches"] = len(result["problems"]) + sum(i["mismatch"] for i in result["items"])
    result["reread"] = sum(i["status"] == "reread" for i in result["items"])
    return result
