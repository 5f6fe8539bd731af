"""Read receipts in CPython: the checker (handbook/receipts.py) passes the worked cases the
page's checker passes (tests/receipt_cases.json) with the same table of outcomes; and
`python -m handbook receipts` reads a staff list and a folder of receipts and reports, per
person and document of the position's path, 现行 / 须重新阅读 / 未读, with the receipts that do
not match the record listed apart and bad input named by file and line."""

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from handbook import receipts
from tests.support import ROOT

pytestmark = pytest.mark.cpython

CASES = json.loads((ROOT / "tests" / "receipt_cases.json").read_text(encoding="utf-8"))


def _summary(result: dict) -> dict:
    return {"tooLong": result["tooLong"], "date": result["date"],
            "problems": [p["status"] for p in result["problems"]],
            "items": [[i["doc"], i["version"], i["status"]] for i in result["items"]],
            "mismatches": result["mismatches"], "reread": result["reread"]}


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_the_shared_cases(case):
    got = receipts.check(CASES["releases"], case["text"], case["today"])
    want = case["expect"]
    assert _summary(got) == {k: want[k] for k in ("tooLong", "date", "problems", "items", "mismatches", "reread")}
    text = "\n".join(i["text"] for i in got["problems"] + got["items"])
    for words in want.get("contains", []):
        assert words in text


def test_the_outcomes_are_the_pages_table():
    """The same statuses, kinds and words, in the same order, as receipt-check.js's RULES
    (read from the script's source; the browser test compares the running table too)."""
    source = (ROOT / "docs/assets/javascripts/receipt-check.js").read_text(encoding="utf-8")
    fmt = re.search(r'var FORMAT = "([^"]+)"', source)[1]
    js = [(m[1], m[2] == "true", m[3].replace('" + FORMAT + "', fmt)) for m in re.finditer(
        r'\{ status: "([\w-]+)", mismatch: (true|false), text: "((?:[^"\\]|" \+ FORMAT \+ ")*)" \}', source)]
    assert fmt == receipts.FORMAT
    assert js == [(r["status"], r["mismatch"], r["text"]) for r in receipts.RULES]
    assert len(js) == 17


def test_size_limit_both_sides():
    assert receipts.MAX_CHARS == 100_000
    assert receipts.check([], "x" * 100_000, "2027-01-01")["tooLong"] is False
    assert receipts.check([], "x" * 100_001, "2027-01-01")["tooLong"] is True
    # Counted as the page counts (UTF-16 code units): a character outside the BMP is two.
    assert receipts.check([], "𠀀" * 50_000, "2027-01-01")["tooLong"] is False
    assert receipts.check([], "𠀀" * 50_000 + "x", "2027-01-01")["tooLong"] is True


def test_places_are_named():
    """Each document is named by its line (text) or its place in the list (JSON), and a
    broken JSON file by line and column: the command's messages point there."""
    case = next(c for c in CASES["cases"] if c["name"] == "truncated-sha")
    item = receipts.check(CASES["releases"], case["text"], case["today"])["items"][0]
    assert item["where"] == "第 9 行"
    case = next(c for c in CASES["cases"] if c["name"] == "json-incomplete-entries")
    assert [i["where"] for i in receipts.check(CASES["releases"], case["text"], case["today"])["items"]][:2] == \
        ["第 1 项", "第 2 项"]
    broken = receipts.check(CASES["releases"], '{\n "format": "handbook-receipt/1",\n "date": ', "2027-03-01")
    assert broken["problems"][0]["status"] == "not-a-receipt" and broken["problems"][0]["where"] == "第 3 行第 10 列"


def test_json_numbers_read_as_the_page_reads_them():
    """5.0 is the integer 5 in JavaScript; NaN is not JSON there."""
    case = next(c for c in CASES["cases"] if c["name"] == "self-check-all-right")
    text = case["text"].replace('"right": 5', '"right": 5.0')
    assert receipts.check(CASES["releases"], text, case["today"])["problems"] == []
    text = case["text"].replace('"right": 5', '"right": NaN')
    assert receipts.check(CASES["releases"], text, case["today"])["problems"][0]["status"] == "not-a-receipt"


def test_a_receipt_says_who_and_what_position():
    case = next(c for c in CASES["cases"] if c["name"] == "json-current-with-unticked")
    r = receipts.parse(case["text"])
    assert (r.name, r.employee, r.position_id, r.position_name) == ("张三", "A0012", "credit_officer", "信用专员")
    assert r.self_check == {"right": 4, "total": 5, "date": "2027-02-15"}
    old = receipts.parse(CASES["cases"][0]["text"])
    assert (old.kind, old.name, old.employee, old.position_id, old.position_name) == \
        ("text", "张三", "A0012", "", "信用专员")


# --- the report ------------------------------------------------------------------------

from handbook import receipt_report as report  # noqa: E402
from handbook.receipt_report import CURRENT, REREAD, UNREAD, ReceiptFile  # noqa: E402
from handbook.staff_list import Person, StaffListError, read_staff  # noqa: E402

# The cases' record, with the pages the report links to.
RELEASES = json.loads(json.dumps(CASES["releases"]))
for _r in RELEASES:
    part = {"XY": "xinyong", "KH": "kehu", "FW": "fuwu"}[_r["doc"][:2]]
    _r["url"] = f"{part}/{_r['doc']}/"
    for _k, _v in enumerate(_r["revisions"]):
        _v["redline"] = f"{part}/{_r['doc']}-redline-{_r['revisions'][_k - 1]['version']}-{_v['version']}/" if _k else None
SHA = {(r["doc"], v["version"]): v["sha256"] for r in RELEASES for v in r["revisions"]}
EFFECTIVE = {(r["doc"], v["version"]): v["effective"] for r in RELEASES for v in r["revisions"]}
PATHS = {"credit_officer": ["XY-03", "KH-03", "FW-01"], "service_staff": ["FW-01", "KH-03"]}
SITE = "http://intranet.example/handbook/"
TODAY = "2027-03-01"


def receipt_json(employee="A0012", name="张三", position="credit_officer", date="2027-02-15", docs=(), sha=None,
                 self_check=None) -> str:
    """docs: (doc, version, read) as the page writes them; sha: {doc: a different hash}."""
    return json.dumps({
        "format": receipts.FORMAT, "title": "阅读确认书", "name": name, "employee": employee,
        "position": {"id": position, "name": {"credit_officer": "信用专员", "service_staff": "客服人员"}[position]},
        "date": date, "self_check": self_check,
        "documents": [{"doc": d, "title": "", "version": v, "effective": EFFECTIVE.get((d, v), "2026-12-01"),
                       "sha256": (sha or {}).get(d) or SHA.get((d, v), "0" * 64), "read": read} for d, v, read in docs],
    }, ensure_ascii=False, indent=2)


def staff(*rows) -> list[Person]:
    return [Person(n, e, name, role, dept) for n, (e, name, role, dept) in enumerate(rows, 2)]


def make(people, files, today=TODAY):
    return report.make(people, [ReceiptFile(n, t) for n, t in files], RELEASES, PATHS, today, SITE)


def rows_of(rep, employee) -> dict:
    entry = next(e for e in rep.people if e["person"].employee == employee)
    return {r.doc: r for r in entry["rows"]}


def test_each_document_of_the_path_is_current_must_reread_or_unread():
    people = staff(("A1", "甲", "credit_officer", "财务部"), ("A2", "乙", "credit_officer", "财务部"),
                   ("A3", "丙", "credit_officer", "财务部"), ("A4", "丁", "credit_officer", "财务部"))
    rep = make(people, [
        ("a1.json", receipt_json("A1", "甲", docs=[("XY-03", "2.0", True), ("KH-03", "1.0", True), ("FW-01", "1.0", False)])),
        ("a2.json", receipt_json("A2", "乙", date="2026-12-02", docs=[("XY-03", "1.1", True), ("KH-03", "1.1", True)])),
        ("a3.json", receipt_json("A3", "丙", date="2026-12-02", docs=[("XY-03", "1.0", True)])),
    ])
    a1 = rows_of(rep, "A1")
    assert [r.doc for r in a1.values()] == PATHS["credit_officer"]
    assert (a1["XY-03"].status, a1["XY-03"].read_version, a1["XY-03"].link) == (CURRENT, "2.0", "")
    # Only an editorial version since: current, nothing to re-read (the other side of the rule).
    assert (a1["KH-03"].status, a1["KH-03"].read_version) == (CURRENT, "1.0") and "编辑性修订" in a1["KH-03"].note
    assert (a1["FW-01"].status, a1["FW-01"].read_version, a1["FW-01"].note) == (UNREAD, "", "确认书中未勾选为已读")
    a2 = rows_of(rep, "A2")
    # 1.1 then the substantive 2.0: re-read, linked to the one-step redline.
    assert a2["XY-03"].status == REREAD and a2["XY-03"].link == SITE + "xinyong/XY-03-redline-1.1-2.0/"
    assert "第 2.0 版，2027-02-01 生效" in a2["XY-03"].note
    assert a2["KH-03"].status == CURRENT and (a2["FW-01"].status, a2["FW-01"].note) == (UNREAD, "不在确认书中")
    # 1.0, two versions behind: the comparison page between what was read and the latest.
    a3 = rows_of(rep, "A3")
    assert a3["XY-03"].status == REREAD
    assert a3["XY-03"].link == SITE + "reference/compare/?doc=XY-03&old=1.0&new=2.0"
    a4 = rows_of(rep, "A4")
    assert {r.status for r in a4.values()} == {UNREAD} and a4["XY-03"].note == "没有相符的确认书"
    assert [p.employee for p in rep.no_receipt] == ["A4"] and rep.apart == [] and rep.used == 3


def test_the_newest_version_read_in_any_receipt_counts():
    people = staff(("A1", "甲", "credit_officer", "财务部"))
    rep = make(people, [
        ("old.json", receipt_json("A1", "甲", date="2026-12-02", docs=[("XY-03", "1.0", True), ("KH-03", "1.0", True)])),
        # later: XY-03 2.0 read; KH-03 not ticked this time (an earlier reading still counts)
        ("new.json", receipt_json("A1", "甲", date="2027-02-15", docs=[("XY-03", "2.0", True), ("KH-03", "1.1", False)])),
    ])
    rows = rows_of(rep, "A1")
    assert (rows["XY-03"].status, rows["XY-03"].read_version, rows["XY-03"].receipt_file) == (CURRENT, "2.0", "new.json")
    assert (rows["KH-03"].status, rows["KH-03"].read_version, rows["KH-03"].receipt_file) == (CURRENT, "1.0", "old.json")


def test_receipts_that_do_not_match_are_listed_apart_with_the_reason():
    people = staff(("A1", "甲", "credit_officer", "财务部"), ("A2", "乙", "service_staff", "客服部"))
    good = receipt_json("A1", "甲", docs=[("XY-03", "2.0", True)])
    rep = make(people, [
        ("edited-hash.json", receipt_json("A1", "甲", docs=[("XY-03", "2.0", True)], sha={"XY-03": "f" * 64})),
        ("unknown-version.json", receipt_json("A1", "甲", docs=[("XY-03", "9.9", True)])),
        ("broken.json", good[:80]),
        ("stranger.json", receipt_json("Z9", "某人", docs=[("XY-03", "2.0", True)])),
        ("wrong-name.json", receipt_json("A2", "张冠李戴", position="service_staff", docs=[("FW-01", "1.0", True)])),
        ("tomorrow.json", receipt_json("A2", "乙", position="service_staff", date="2027-03-02", docs=[("FW-01", "1.0", True)])),
        ("old.txt", "阅读确认书\n姓名：乙\n工号：A2\n日期：2026-12-02\n"
                    f"FW-01 客户服务管理办法｜版本 1.0｜SHA-256 {SHA[('FW-01', '1.0')]}\n"),
    ])
    apart = {c.file: c.reasons for c in rep.apart}
    assert set(apart) == {"edited-hash.json", "unknown-version.json", "broken.json", "stranger.json",
                          "wrong-name.json", "tomorrow.json"}
    assert apart["edited-hash.json"] == ["XY-03（第 2.0 版，第 1 项）：SHA-256 与发布记录中第 2.0 版的不符"]
    assert apart["unknown-version.json"] == ["XY-03（第 9.9 版，第 1 项）：版本 9.9 不在发布记录中"]
    assert re.fullmatch(r"第 \d+ 行第 \d+ 列：不是可核对的阅读确认书：不是有效的 JSON", apart["broken.json"][0])
    assert apart["stranger.json"] == ["工号 Z9 不在人员名单中"]
    assert apart["wrong-name.json"] == ["姓名“张冠李戴”与人员名单中工号 A2 的“乙”不符"]
    assert apart["tomorrow.json"] == ["确认书的日期 2027-03-02 晚于今天（2027-03-01）"]
    # Nothing listed apart counts: 甲 has no matching receipt; 乙's old text receipt counts.
    assert {r.status for r in rows_of(rep, "A1").values()} == {UNREAD}
    assert rows_of(rep, "A2")["FW-01"].status == CURRENT and rows_of(rep, "A2")["KH-03"].status == UNREAD
    assert [p.employee for p in rep.no_receipt] == ["A1"] and rep.used == 1
    assert next(e for e in rep.people if e["person"].employee == "A1")["apart"] == [
        "edited-hash.json", "unknown-version.json"]


def test_employee_numbers_and_names_are_matched_as_people_type_them():
    people = staff(("A0012", "张三", "credit_officer", "财务部"))
    rep = make(people, [("r.json", receipt_json("ａ００１２ ", "张 三", docs=[("XY-03", "2.0", True)]))])
    assert rep.apart == [] and rows_of(rep, "A0012")["XY-03"].status == CURRENT


def test_totals_by_department_and_position_lead():
    people = staff(("A1", "甲", "credit_officer", "财务部"), ("A2", "乙", "credit_officer", "财务部"),
                   ("B1", "丙", "service_staff", "客服部"))
    rep = make(people, [
        ("a1.json", receipt_json("A1", "甲", docs=[("XY-03", "2.0", True), ("KH-03", "1.1", True), ("FW-01", "1.0", True)])),
        ("b1.json", receipt_json("B1", "丙", position="service_staff", date="2026-12-02",
                                 docs=[("FW-01", "1.0", True), ("KH-03", "1.0", False)])),
    ])
    got = [(t["department"], t["position"], t["people"], t["with_receipt"], t["all_current"], t[CURRENT], t[REREAD],
            t[UNREAD]) for t in rep.totals]
    assert got == [("客服部", "客服人员", 1, 1, 0, 1, 0, 1),
                   ("财务部", "信用专员", 2, 1, 1, 3, 0, 3),
                   ("合计", "", 3, 2, 1, 4, 0, 4)]


def test_the_report_is_written_in_chinese_html_and_csv(tmp_path):
    people = staff(("A1", "甲", "credit_officer", "财务部"), ("A2", "乙", "credit_officer", "财务部"))
    rep = make(people, [("a1.json", receipt_json("A1", "甲", date="2026-12-02", docs=[("XY-03", "1.0", True)])),
                        ("bad.json", receipt_json("A2", "乙", docs=[("XY-03", "2.0", True)], sha={"XY-03": "e" * 64}))])
    paths = report.write(rep, tmp_path / "out", {"staff": "staff.csv", "folder": "in", "head": "0" * 64})
    html = paths["html"].read_text(encoding="utf-8")
    assert html.index('id="totals"') < html.index('id="people"') < html.index('id="apart"') < html.index('id="no-receipt"')
    assert 'href="http://intranet.example/handbook/reference/compare/?doc=XY-03&amp;old=1.0&amp;new=2.0"' in html
    assert "与第 1.0 版对照" in html and "SHA-256 与发布记录中第 2.0 版的不符" in html and "<script" not in html
    assert "乙（工号 A2，财务部 · 信用专员）：有 1 份确认书另列（bad.json）" in html
    docs_csv = paths["documents"].read_text(encoding="utf-8")
    assert docs_csv.startswith("\ufeff部门,岗位,工号,姓名,文件")
    rows = list(csv.DictReader(io.StringIO(docs_csv.lstrip("\ufeff"))))
    assert [(r["工号"], r["文件"], r["状态"]) for r in rows] == [
        ("A1", "XY-03", REREAD), ("A1", "KH-03", UNREAD), ("A1", "FW-01", UNREAD),
        ("A2", "XY-03", UNREAD), ("A2", "KH-03", UNREAD), ("A2", "FW-01", UNREAD)]
    assert rows[0]["对照链接"] == SITE + "reference/compare/?doc=XY-03&old=1.0&new=2.0"
    apart = list(csv.DictReader(io.StringIO(paths["apart"].read_text(encoding="utf-8").lstrip("\ufeff"))))
    assert [(r["确认书文件"], r["工号"]) for r in apart] == [("bad.json", "A2")] and "SHA-256" in apart[0]["原因"]
    totals = list(csv.DictReader(io.StringIO(paths["totals"].read_text(encoding="utf-8").lstrip("\ufeff"))))
    assert totals[-1]["部门"] == "合计" and totals[-1]["须重新阅读（份次）"] == "1" and totals[-1]["未读（份次）"] == "5"


# --- the staff list --------------------------------------------------------------------

def write_staff(tmp_path, text: str, encoding="utf-8", name="staff.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_staff_list_as_excel_writes_it(tmp_path, encoding):
    p = write_staff(tmp_path, "工号,姓名,岗位\r\nA1,张三,信用专员\r\nA2,李四,service_staff\r\n", encoding)
    people = read_staff(p)
    assert [(x.line, x.employee, x.name, x.role, x.department) for x in people] == [
        (2, "A1", "张三", "credit_officer", "财务部"), (3, "A2", "李四", "service_staff", "客服部")]


def test_staff_list_department_column_and_other_column_names(tmp_path):
    p = write_staff(tmp_path, "员工编号,员工姓名,岗位名称,部门\nA1,张三,部门经理,营销部\n")
    (x,) = read_staff(p)
    assert (x.employee, x.role, x.department) == ("A1", "department_manager", "营销部")


@pytest.mark.parametrize("text, words", [
    ("工号,姓名,岗位\nA1,张三,信用专员\nA2,李四,信用专员1\n", "第 3 行：岗位“信用专员1”不在名册中"),
    ("工号,姓名,岗位\nA1,张三,信用专员\nA1,李四,客服人员\n", "第 3 行：工号 A1 与第 2 行重复"),
    ("工号,姓名,岗位\nA1,,信用专员\n", "第 2 行：姓名为空"),
    ("工号,姓名\nA1,张三\n", "第 1 行：表头缺少“岗位”列"),
    ("工号,员工编号,姓名,岗位\nA1,A1,张三,信用专员\n", "第 1 行：“工号”和“员工编号”是同一列"),
    ("工号,姓名,岗位\n", "文件只有表头，没有数据行"),
    ("", "文件是空的"),
    ('工号,姓名,岗位\nA1,"张三,信用专员\n', "第 2 行的引号不成对"),
    ('工号,姓名,岗位\nA1,张三,"信用专员\nA2,李四,客服人员\n', "第 2 行的引号不成对"),
])
def test_a_bad_staff_list_is_named_by_file_and_line(tmp_path, text, words):
    p = write_staff(tmp_path, text)
    with pytest.raises(StaffListError) as e:
        read_staff(p)
    assert f"人员名单 {p}" in str(e.value) and words in str(e.value)


def test_a_staff_list_that_is_not_text_or_not_there(tmp_path):
    p = tmp_path / "staff.csv"
    p.write_bytes(b"\xff\xfe\x00\x81" * 10)
    with pytest.raises(StaffListError, match="无法识别文件编码"):
        read_staff(p)
    with pytest.raises(StaffListError, match="文件不存在"):
        read_staff(tmp_path / "none.csv")


# --- the command -------------------------------------------------------------------------

def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "handbook", "receipts", *args], cwd=cwd, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def real_receipt(employee, name, role, read: dict, date=None) -> str:
    """A receipt of the real record: read {doc: version} of the role's path, the rest unticked."""
    from handbook import documents, onboarding, revisions

    manifest = revisions.load()
    docs = documents.load_all()
    path = [d for d in onboarding.reading_path(role, docs, onboarding.work(docs)) if d in manifest]
    date = date or max(r.released for revs in manifest.values() for r in revs)
    out = []
    for d in path:
        rev = next(r for r in manifest[d] if r.version == read.get(d, manifest[d][-1].version))
        out.append({"doc": d, "title": docs[d].title, "version": rev.version, "effective": rev.effective,
                    "sha256": rev.sha256, "read": d in read})
    return json.dumps({"format": receipts.FORMAT, "name": name, "employee": employee,
                       "position": {"id": role, "name": ""}, "date": date, "documents": out, "self_check": None},
                      ensure_ascii=False)


def test_command_writes_the_report_and_says_what_it_found(tmp_path):
    from handbook import revisions

    manifest = revisions.load()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(real_receipt("A1", "张三", "credit_officer", {
        d: manifest[d][-1].version for d in ("XY-05", "XY-06", "KH-04")}), encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF")
    staff_csv = write_staff(tmp_path, "工号,姓名,岗位\nA1,张三,信用专员\nA2,李四,客服人员\n", "gbk")
    proc = run_cli(str(folder), "--staff", str(staff_csv), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "已核对 1 份确认书：使用 1 份，另列 0 份" in proc.stdout and "没有确认书的 1 人" in proc.stdout
    assert (tmp_path / "out" / "report.html").exists() and (tmp_path / "out" / "documents.csv").exists()
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "scan.pdf" in html and 'data-employee="A2"' in html
    # A receipt that does not match: the report is still written, the exit code says so.
    (folder / "b.json").write_text(real_receipt("A2", "李四", "service_staff", {}).replace('"date": "', '"date": "1'),
                                   encoding="utf-8")
    proc = run_cli(str(folder), "--staff", str(staff_csv), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1
    assert "确认书 b.json：确认书的日期“1" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("folder, args, words", [
    ("{tmp}", ["--staff", "{tmp}/none.csv"], "人员名单 {tmp}/none.csv：文件不存在"),
    ("{tmp}", ["--staff", "{tmp}/bad.csv"], "人员名单 {tmp}/bad.csv 第 2 行：岗位“出纳”不在名册中"),
    ("{tmp}", ["--staff", "{tmp}/ok.csv", "--today", "2027-02-30"], "--today 应为 YYYY-MM-DD"),
    ("{tmp}/missing", ["--staff", "{tmp}/ok.csv"], "确认书文件夹 {tmp}/missing：不存在"),
    # The system's reasons are English: said in Chinese.
    ("{tmp}", ["--staff", "{tmp}/ok.csv", "--out", "{tmp}/ok.csv"], "无法写入报告到 {tmp}/ok.csv：已有同名的文件，不是文件夹"),
], ids=["no-staff-list", "unknown-position", "bad-today", "no-folder", "out-is-a-file"])
def test_command_bad_input_exit_2_with_one_chinese_line(tmp_path, folder, args, words):
    (tmp_path / "bad.csv").write_text("工号,姓名,岗位\nA1,张三,出纳\n", encoding="utf-8")
    (tmp_path / "ok.csv").write_text("工号,姓名,岗位\nA1,张三,信用专员\n", encoding="utf-8")
    out = ["--out", str(tmp_path / "out")] if "--out" not in args else []
    proc = run_cli(folder.format(tmp=tmp_path), *[a.format(tmp=tmp_path) for a in args], *out)
    assert proc.returncode == 2 and words.format(tmp=tmp_path) in proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == "" and not (tmp_path / "out").exists()
