"""Controlled paper copies (受控副本): the register of copies issued (handbook/data/
controlled_copies.toml), a print page per copy that puts its number and holder on every
printed sheet (every other print says 非受控), and, for each release, the list of copies of
earlier versions to recall. The register records the recall:

    [[copy]]
    number = "KZ-2026-001"        # 受控副本编号, unique
    document = "XY-03"
    version = "2.0"               # a released version
    department = "finance"        # roster id of the holding unit
    holder = "财务部文件柜"        # who or where keeps it
    issued = "2026-12-01"         # 发放日期, not before the version's release
    recalled = "2026-12-08"       # 收回日期, once recalled (optional)
    recalled_by = "finance"       # roster id of who took it back (with recalled)

A copy must be recalled once a later version of its document takes effect."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from handbook.data_files import read_toml
from handbook import revisions, roster

REGISTER = Path(__file__).resolve().parent / "data" / "controlled_copies.toml"
PAGES_DIR = "copies"
_FIELDS = {"number", "document", "version", "department", "holder", "issued"}
_OPTIONAL = {"recalled", "recalled_by"}


class CopyError(ValueError):
    pass


@dataclass(frozen=True)
class Copy:
    number: str
    document: str
    version: str
    department: str
    holder: str
    issued: dt.date
    recalled: dt.date | None = None
    recalled_by: str | None = None


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CopyError(f"{where}：{value} 不是 YYYY-MM-DD 日期") from None


def load(path: Path = REGISTER) -> list[Copy]:
    if not path.exists():
        return []
    data = read_toml(path, CopyError)
    out = []
    for i, entry in enumerate(data.get("copy", []), 1):
        where = f"{path.name} 第 {i} 份受控副本"
        missing = _FIELDS - set(entry)
        unknown = set(entry) - _FIELDS - _OPTIONAL
        if missing or unknown:
            raise CopyError(f"{where}：" + (f"缺少 {'、'.join(sorted(missing))}" if missing else
                                            f"未知的键 {'、'.join(sorted(unknown))}"))
        if ("recalled" in entry) != ("recalled_by" in entry):
            raise CopyError(f"{where}：收回须同时写明 recalled（日期）和 recalled_by（收回人）")
        out.append(Copy(str(entry["number"]), entry["document"], str(entry["version"]), entry["department"],
                        str(entry["holder"]), _date(entry["issued"], where),
                        _date(entry["recalled"], where) if "recalled" in entry else None,
                        entry.get("recalled_by")))
    return out


def check(copies: list[Copy], manifest: dict, today: dt.date) -> list[str]:
    """What is wrong with the register (the build fails on any)."""
    problems, seen = [], set()
    for c in copies:
        where = f"受控副本 {c.number}"
        if c.number in seen:
            problems.append(f"{where}：编号重复")
        seen.add(c.number)
        revs = {r.version: r for r in manifest.get(c.document, [])}
        if c.version not in revs:
            problems.append(f"{where}：{c.document} 没有已发布的第 {c.version} 版")
            continue
        for role in (c.department, c.recalled_by):
            if role is not None and role not in roster.entries():
                problems.append(f"{where}：{role} 不在名册中")
        if c.issued.isoformat() < revs[c.version].released:
            problems.append(f"{where}：发放日期 {c.issued} 早于第 {c.version} 版的发布日期 {revs[c.version].released}")
        if c.issued > today:
            problems.append(f"{where}：发放日期 {c.issued} 晚于今天")
        if c.recalled and (c.recalled < c.issued or c.recalled > today):
            problems.append(f"{where}：收回日期 {c.recalled} 应在发放日期之后、今天之前")
    return problems


def superseded_by(c: Copy, manifest: dict) -> revisions.Revision | None:
    """The first later version of the copy's document: once it takes effect, the copy is recalled."""
    revs = manifest.get(c.document, [])
    versions = [r.version for r in revs]
    later = revs[versions.index(c.version) + 1:] if c.version in versions else []
    return later[0] if later else None


def state(c: Copy, manifest: dict, today: dt.date) -> dict:
    """in_use | to_recall (a later version released; due when it takes effect) | recalled."""
    if c.recalled:
        return {"state": "recalled", "text": f"已收回（{c.recalled.isoformat()}，{roster.name(c.recalled_by)}）"}
    newer = superseded_by(c, manifest)
    if newer is None:
        return {"state": "in_use", "text": "在用"}
    due = "已到收回期限" if newer.effective <= today.isoformat() else f"于 {newer.effective} 前收回"
    return {"state": "to_recall", "text": f"待收回：第 {newer.version} 版已发布，{due}", "by": newer}


def recall_list(number: str, version: str, copies: list[Copy], manifest: dict) -> list[Copy]:
    """The copies a release makes obsolete: every copy of an earlier version of the document."""
    versions = [r.version for r in manifest.get(number, [])]
    k = versions.index(version)
    return [c for c in copies if c.document == number and c.version in versions[:k]]


def page_src(c: Copy) -> str:
    return f"{PAGES_DIR}/{c.number}.md"


def recall_src(number: str, version: str) -> str:
    return f"{PAGES_DIR}/recall-{number}-{version}.md"


def releases_with_recalls(copies: list[Copy], manifest: dict) -> list[tuple[str, str]]:
    """(document, version) of every release with copies of earlier versions to list."""
    out = []
    for number, revs in manifest.items():
        for r in revs[1:]:
            if recall_list(number, r.version, copies, manifest):
                out.append((number, r.version))
    return out
