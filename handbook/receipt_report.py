"""Who has read what: `python -m handbook receipts DIR --staff STAFF.csv [--out OUT]`.

Reads a staff list (handbook/staff_list.py) and a folder of read receipts (the JSON
files the pages make, and the earlier text receipts), checks each receipt against the
release record with the page's rules (handbook/receipts.py), and reports for each person
each document of their position's reading path: 现行 (the version read is the latest, or
only editorial versions came after it), 须重新阅读 (a substantive version came after it:
linked to the redline) or 未读. A receipt that does not match the record, cannot be read, or
names someone not on the list is not used: it is listed apart with its reasons.

Exit codes: 0 the report is written and every receipt was used; 1 the report is written and
some receipts are listed apart; 2 nothing written: bad arguments, a staff list that cannot
be read (named by file and line), a folder or output that cannot be used, or a release
record that fails verification.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from calc import csv_table
from handbook import receipts, roster
from handbook.staff_list import Person, StaffListError, employee_key, name_key, os_reason, read_staff

EXIT_OK, EXIT_APART, EXIT_BAD_INPUT = 0, 1, 2

# What each outcome of a matching document means for the person.
CURRENT, REREAD, UNREAD = "现行", "须重新阅读", "未读"
STATUS_OF = {"current": CURRENT, "editorial": CURRENT, "reread": REREAD}

RECEIPT_SUFFIXES = (".json", ".txt")

OUT_FILES = {"html": "report.html", "totals": "totals.csv", "documents": "documents.csv", "apart": "apart.csv"}


class ReportError(StaffListError):
    """Input the report cannot be made from: one line in Chinese per problem."""


# --- the receipts ----------------------------------------------------------------------

@dataclass
class ReceiptFile:
    name: str                          # path under the folder, for the report
    text: str | None = None
    error: str | None = None           # why it could not be read


def read_folder(folder: Path) -> tuple[list[ReceiptFile], list[str]]:
    """The receipt files under a folder (sub-folders too) and the other files, skipped."""
    if not folder.is_dir():
        raise ReportError([f"确认书文件夹 {folder}：{'不是文件夹' if folder.exists() else '不存在'}"])
    files, skipped = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        name = path.relative_to(folder).as_posix()
        if path.suffix.lower() not in RECEIPT_SUFFIXES:
            skipped.append(name)
            continue
        size = path.stat().st_size
        if size > 4 * receipts.MAX_CHARS:  # UTF-8 takes at most 4 bytes a character
            files.append(ReceiptFile(name, error=f"文件过大（{size:,} 字节）：一份确认书通常只有几千个字符，"
                                                 f"最多核对 {receipts.MAX_CHARS:,} 个字符"))
            continue
        try:
            text, _ = csv_table.decode(path.read_bytes())
        except ValueError as e:
            files.append(ReceiptFile(name, error=str(e)))
            continue
        except OSError as e:
            files.append(ReceiptFile(name, error=f"无法读取（{os_reason(e)}）"))
            continue
        files.append(ReceiptFile(name, text))
    return files, skipped


@dataclass
class Checked:
    file: str
    result: dict | None = None
    reasons: list[str] = field(default_factory=list)   # why it is not used
    person: Person | None = None

    @property
    def receipt(self) -> receipts.Receipt | None:
        return self.result["receipt"] if self.result else None


def mismatch_reasons(result: dict) -> list[str]:
    """Every place a receipt does not match the record, each with where it is."""
    out = []
    for p in result["problems"]:
        out.append(f"{p['where']}：{p['text']}" if p.get("where") else p["text"])
    for i in result["items"]:
        if i["mismatch"]:
            what = f"{i['doc']}（{'第 ' + i['version'] + ' 版，' if i['version'] else ''}{i['where']}）" if i["doc"] \
                else i["where"]
            out.append(f"{what}：{i['text']}")
    return out


def check_file(f: ReceiptFile, releases: list[dict], today: str, staff: dict[str, Person]) -> Checked:
    c = Checked(f.name)
    if f.error:
        c.reasons.append(f.error)
        return c
    c.result = receipts.check(releases, f.text, today)
    if c.result["tooLong"]:
        c.reasons.append(f"确认书过长：最多核对 {receipts.MAX_CHARS:,} 个字符")
        return c
    c.reasons += mismatch_reasons(c.result)
    r = c.receipt
    if r.problem:
        return c
    if not r.employee.strip():
        c.reasons.append("确认书上没有工号，无法对应到人员名单中的人")
    elif employee_key(r.employee) not in staff:
        c.reasons.append(f"工号 {r.employee} 不在人员名单中")
    else:
        person = staff[employee_key(r.employee)]
        if name_key(r.name) != name_key(person.name):
            c.reasons.append(f"姓名“{r.name}”与人员名单中工号 {person.employee} 的“{person.name}”不符")
        else:
            c.person = person
    if c.reasons:
        c.person = None
    return c


# --- the report ------------------------------------------------------------------------

def _version_key(v: str) -> tuple[int, int]:
    major, minor = v.split(".")
    return int(major), int(minor)


def redline_link(release: dict, read: str, site: str) -> str:
    """The redline from the version read to the latest: its own page for one step, the
    comparison page for more (as the page's check links them)."""
    revs, latest = release["revisions"], release["revisions"][-1]
    k = next(i for i, v in enumerate(revs) if v["version"] == read)
    if k == len(revs) - 2 and latest.get("redline"):
        return site + latest["redline"]
    return f"{site}reference/compare/?doc={release['doc']}&old={read}&new={latest['version']}"


@dataclass
class Row:
    """One document of one person's path."""
    doc: str
    title: str
    status: str
    read_version: str = ""
    receipt_date: str = ""
    receipt_file: str = ""
    latest: str = ""
    note: str = ""
    link: str = ""


def person_rows(person: Person, used: list[Checked], path: list[str], by_doc: dict, site: str) -> list[Row]:
    rows = []
    for doc in path:
        rel = by_doc[doc]
        latest = rel["revisions"][-1]["version"]
        best = None   # the newest version read, in any of the person's receipts
        for c in used:
            for item in c.result["items"]:
                if item["doc"] == doc and item["status"] in STATUS_OF:
                    key = (_version_key(item["version"]), c.result["date"])
                    if best is None or key > best[0]:
                        best = (key, item, c)
        if best is None:
            rows.append(Row(doc, rel["title"], UNREAD, latest=latest,
                            note="确认书中未勾选为已读" if any(i["doc"] == doc for c in used for i in c.result["items"])
                            else ("没有相符的确认书" if not used else "不在确认书中")))
            continue
        _, item, c = best
        row = Row(doc, rel["title"], STATUS_OF[item["status"]], item["version"], c.result["date"], c.file, latest)
        if item["status"] == "reread":
            row.note = item["text"].removeprefix("须重新阅读：")
            row.link = redline_link(rel, item["version"], site)
        elif item["status"] == "editorial":
            row.note = f"此后只有编辑性修订（现为第 {latest} 版），无须重读"
        rows.append(row)
    return rows


@dataclass
class Report:
    today: str
    site: str
    people: list[dict]                 # {person, rows, receipts, self_check}
    totals: list[dict]                 # by department and position, then 合计
    apart: list[Checked]
    skipped: list[str]
    no_receipt: list[Person]
    used: int
    apart_of: dict[str, list[str]]     # 工号 as listed -> that person's receipts listed apart


def make(staff: list[Person], files: list[ReceiptFile], releases: list[dict], paths: dict[str, list[str]],
         today: str, site: str, skipped: list[str] = ()) -> Report:
    """The report from what was read: paths are each role's reading path (document numbers)."""
    by_key = {employee_key(p.employee): p for p in staff}
    by_doc = {r["doc"]: r for r in releases}
    checked = [check_file(f, releases, today, by_key) for f in files]
    apart = [c for c in checked if c.person is None]
    apart_of: dict[str, list[str]] = {}   # a person's receipts listed apart, said beside them
    for c in apart:
        if c.receipt and employee_key(c.receipt.employee) in by_key:
            apart_of.setdefault(employee_key(c.receipt.employee), []).append(c.file)
    people = []
    order = {r: n for n, r in enumerate(roster.entries())}
    for p in sorted(staff, key=lambda p: (p.department, order[p.role], p.employee)):
        used = sorted((c for c in checked if c.person is p), key=lambda c: (c.result["date"], c.file))
        path = [d for d in paths.get(p.role, []) if d in by_doc]
        latest = next((c for c in reversed(used) if c.receipt.self_check), None)
        people.append({"person": p, "rows": person_rows(p, used, path, by_doc, site), "receipts": used,
                       "apart": apart_of.get(employee_key(p.employee), []),
                       "self_check": latest.receipt.self_check if latest else None,
                       "self_check_position": latest.receipt.position_name if latest else ""})
    return Report(today, site, people, _totals(people), apart, list(skipped),
                  [e["person"] for e in people if not e["receipts"]], len(checked) - len(apart),
                  {e["person"].employee: e["apart"] for e in people})


def _totals(people: list[dict]) -> list[dict]:
    groups: dict[tuple, dict] = {}
    for e in people:
        p = e["person"]
        for key in ((p.department, p.role_name), (p.department, "小计"), ("合计", "")):
            t = groups.setdefault(key, {"department": key[0], "position": key[1], "people": 0, "with_receipt": 0,
                                        "all_current": 0, CURRENT: 0, REREAD: 0, UNREAD: 0})
            t["people"] += 1
            t["with_receipt"] += bool(e["receipts"])
            t["all_current"] += all(r.status == CURRENT for r in e["rows"])
            for r in e["rows"]:
                t[r.status] += 1
    rows = []
    for dept in dict.fromkeys(e["person"].department for e in people):
        positions = [t for (d, pos), t in groups.items() if d == dept and pos != "小计"]
        rows += positions
        if len(positions) > 1:
            rows.append(groups[(dept, "小计")])
    if people:
        rows.append(groups[("合计", "")])
    return rows


def self_check_text(sc) -> str:
    return f"{sc['right']} / {sc['total']}（{sc['date']}）" if sc else "—"


# --- writing ---------------------------------------------------------------------------

def write(report: Report, out: Path, sources: dict) -> dict[str, Path]:
    from handbook import templates

    out.mkdir(parents=True, exist_ok=True)
    paths = {k: out / v for k, v in OUT_FILES.items()}
    html = templates.render("receipt-report.html", r=report, sources=sources, CURRENT=CURRENT, REREAD=REREAD,
                            UNREAD=UNREAD, self_check_text=self_check_text)
    paths["html"].write_text(html, encoding="utf-8")
    t_head = ["部门", "岗位", "人数", "已交确认书", "全部现行（人）", "现行（份次）", "须重新阅读（份次）", "未读（份次）"]
    paths["totals"].write_text(csv_table.write(t_head, [
        [t["department"], t["position"], t["people"], t["with_receipt"], t["all_current"], t[CURRENT], t[REREAD],
         t[UNREAD]] for t in report.totals]), encoding="utf-8")
    d_head = ["部门", "岗位", "工号", "姓名", "文件", "文件名称", "状态", "所读版本", "最新版本", "确认书日期", "确认书文件",
              "说明", "对照链接", "自测"]
    paths["documents"].write_text(csv_table.write(d_head, [
        [e["person"].department, e["person"].role_name, e["person"].employee, e["person"].name, r.doc, r.title,
         r.status, r.read_version, r.latest, r.receipt_date, r.receipt_file, r.note, r.link,
         self_check_text(e["self_check"])]
        for e in report.people for r in e["rows"]]), encoding="utf-8")
    a_head = ["确认书文件", "姓名", "工号", "原因"]
    paths["apart"].write_text(csv_table.write(a_head, [
        [c.file, c.receipt.name if c.receipt else "", c.receipt.employee if c.receipt else "", "；".join(c.reasons)]
        for c in report.apart] + [[name, "", "", "不是确认书文件（只读取 .json 和 .txt），未读取"]
                                  for name in report.skipped]), encoding="utf-8")
    return paths


def default_site() -> str:
    """Where the site is served: SITE_URL (as for `make build`), else mkdocs.yml's default."""
    if os.environ.get("SITE_URL"):
        return os.environ["SITE_URL"]
    text = (Path(__file__).resolve().parent.parent / "mkdocs.yml").read_text(encoding="utf-8")
    m = re.search(r'^site_url:.*?"([^"]+)"', text, re.M)
    return m[1] if m else ""


def run(folder: Path, staff_file: Path, out: Path, today: str | None = None, site: str | None = None) -> tuple[int, list[str]]:
    """The command: (exit code, lines for the terminal). ReportError for bad input."""
    from handbook import documents, onboarding, revisions

    if today is None:
        from calc.parameters import today as china_today
        today = china_today().isoformat()
    else:
        try:
            revisions.parse_date(today, "--today ")
        except ValueError as e:
            raise ReportError([str(e)]) from None
    site = site if site is not None else default_site()
    if site and not site.endswith("/"):
        site += "/"
    try:
        problems = revisions.verify()
        manifest = revisions.load()
    except revisions.ManifestError as e:
        problems = [str(e)]
    if problems:
        raise ReportError(["发布记录校验未通过（python -m handbook verify），无法据此核对确认书："] + problems)
    try:
        staff = read_staff(staff_file)
    except StaffListError as e:
        raise ReportError(e.lines) from None
    files, skipped = read_folder(folder)
    docs = documents.load_all()
    work = onboarding.work(docs)
    paths = {p.role: onboarding.reading_path(p.role, docs, work) for p in staff}
    releases = onboarding.release_data(docs, manifest)
    report = make(staff, files, releases, paths, today, site, skipped)
    try:
        written = write(report, out, {"staff": str(staff_file), "folder": str(folder),
                                      "head": revisions.head(revisions.entries())})
    except OSError as e:
        raise ReportError([f"无法写入报告到 {out}：{os_reason(e)}"]) from None
    total = report.totals[-1] if report.totals else {CURRENT: 0, REREAD: 0, UNREAD: 0}
    lines = [f"确认书 {c.file}：{c.reasons[0]}" + (f"（另有 {len(c.reasons) - 1} 处）" if len(c.reasons) > 1 else "")
             for c in report.apart]
    lines.append(f"已核对 {len(files)} 份确认书：使用 {report.used} 份，另列 {len(report.apart)} 份（与发布记录不符、"
                 f"无法读取或不在人员名单中）；人员 {len(staff)} 人，没有确认书的 {len(report.no_receipt)} 人；"
                 f"现行 {total[CURRENT]}、须重新阅读 {total[REREAD]}、未读 {total[UNREAD]} 份次。"
                 f"报告：{written['html']}")
    return (EXIT_APART if report.apart else EXIT_OK), lines
