"""Released revisions: kept unchanged under revisions/<DOC>/<version>.md and recorded in
revisions/manifest.json, the one record of versions, release and effective dates, kinds,
summaries and approvers. Only the release command writes here.

The manifest is a hash chain: each entry carries the hash of the entry before it, and its
own hash covers its snapshot's SHA-256 and all its metadata, so editing an old snapshot
together with its recorded SHA-256, or any field, breaks the chain at that entry. The
last hash (the head) is printed on the site, so a saved or printed copy can be checked.

calc/register.json is derived from the manifest (the calculators cannot read revisions/
from inside the wheel); verify checks that it is in step."""

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REVISIONS_DIR = ROOT / "revisions"
MANIFEST = "manifest.json"
FORMAT = "handbook-revisions/2"
GENESIS = "0" * 64
KINDS = {"substantive": "实质性修订", "editorial": "编辑性修订"}
# ASCII digits only, no leading zeros, nothing after (fullmatch: "$" would accept a newline).
VERSION_RE = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)", re.ASCII)
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


class ManifestError(ValueError):
    """The record of releases cannot be read: the message says where and what to do."""


@dataclass(frozen=True)
class Revision:
    document: str
    version: str
    released: str        # date of the release (ISO)
    effective: str       # date it takes effect (ISO)
    kind: str            # substantive | editorial
    summary: str
    approver: str        # roster id
    file: str            # path under revisions/
    sha256: str          # of the snapshot file
    previous: str = GENESIS  # hash of the entry before this one in the manifest
    hash: str = ""       # of this entry: all the fields above

    @property
    def label(self) -> str:
        return f"{self.document} 第 {self.version} 版"


FIELDS = [f.name for f in fields(Revision)]


def parse_version(text: str) -> tuple[int, int]:
    m = VERSION_RE.fullmatch(text) if isinstance(text, str) else None
    if not m:
        raise ValueError(f"版本号应为“主版本.次版本”，只用半角数字、不带前导零，如 1.0、1.1、2.0，收到 {text!r}")
    return int(m[1]), int(m[2])


def parse_date(text: str, what: str = "日期") -> dt.date:
    """A calendar date written YYYY-MM-DD, nothing else (fromisoformat alone also takes
    20270101 and 2027-W01-1)."""
    if isinstance(text, str) and DATE_RE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"{what}应为 YYYY-MM-DD 格式的实际日期（如 2027-01-01），收到 {text!r}")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def entry_hash(rev: Revision) -> str:
    """The hash of an entry over every field but its own hash, canonically serialised."""
    data = {k: v for k, v in asdict(rev).items() if k != "hash"}
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True,
                                     separators=(",", ":")).encode("utf-8")).hexdigest()


def chained(rev: Revision, previous: str) -> Revision:
    base = Revision(**{**asdict(rev), "previous": previous, "hash": ""})
    return Revision(**{**asdict(base), "hash": entry_hash(base)})


def head(entries: list[Revision]) -> str:
    return entries[-1].hash if entries else GENESIS


# --- reading -------------------------------------------------------------------------

def _read(root: Path) -> list[dict]:
    """The raw entries, in release order; ManifestError for anything that is not a
    manifest of the known format."""
    path = root / MANIFEST
    where = "revisions/manifest.json"
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        raise ManifestError(f"{where} 是空文件（可能是中断的写入）：请从版本库恢复该文件后再运行")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ManifestError(f"{where} 不是完整的 JSON（第 {e.lineno} 行第 {e.colno} 列），可能被截断或改动："
                            "请从版本库恢复该文件后再运行") from None
    if not isinstance(data, dict) or set(data) != {"format", "revisions"} or data["format"] != FORMAT \
            or not isinstance(data["revisions"], list):
        raise ManifestError(f"{where} 不是可识别的发布记录（应为 {{\"format\": \"{FORMAT}\", \"revisions\": [...]}}）："
                            "请从版本库恢复该文件")
    for n, e in enumerate(data["revisions"], 1):
        if not isinstance(e, dict):
            raise ManifestError(f"{where} 第 {n} 条记录不是对象")
        unknown, missing = set(e) - set(FIELDS), set(FIELDS) - set(e)
        if unknown or missing:
            what = "、".join([f"未知字段 {k}" for k in sorted(unknown)] + [f"缺少字段 {k}" for k in sorted(missing)])
            raise ManifestError(f"{where} 第 {n} 条记录（{e.get('document', '?')} {e.get('version', '?')}）：{what}")
        bad = [k for k in FIELDS if not isinstance(e[k], str)]
        if bad:
            raise ManifestError(f"{where} 第 {n} 条记录：字段 {'、'.join(bad)} 应为文本")
    return data["revisions"]


def entries(root: Path = REVISIONS_DIR) -> list[Revision]:
    """Every revision in release order (the chain's order)."""
    return [Revision(**e) for e in _read(root)]


def load(root: Path = REVISIONS_DIR) -> dict[str, list[Revision]]:
    """Each document's revisions, oldest first."""
    out: dict[str, list[Revision]] = {}
    for r in entries(root):
        out.setdefault(r.document, []).append(r)
    return dict(sorted(out.items()))


def in_force(revs: list[Revision], day: dt.date) -> Revision | None:
    """The revision in force on a day: the last whose effective date has come."""
    current = None
    for r in revs:
        if r.effective <= day.isoformat():   # ISO dates, validated on release and on verify
            current = r
    return current


# --- writing -------------------------------------------------------------------------

def _is_temp(path: Path) -> bool:
    """A temporary file of write_atomic, left by a write that was killed before its rename."""
    return path.name.startswith(".") and path.name.endswith(".tmp")


def remove_temp_files(root: Path) -> None:
    for folder in (root, register_path(root).parent):
        if folder.exists():
            for path in folder.rglob(".*.tmp") if folder == root else folder.glob(".*.tmp"):
                if path.is_file() and _is_temp(path):
                    path.unlink()


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a crash leaves either the old file or the new one, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def manifest_text(revs: list[Revision]) -> str:
    return json.dumps({"format": FORMAT, "revisions": [asdict(r) for r in revs]},
                      ensure_ascii=False, indent=1) + "\n"


def save(revs: list[Revision], root: Path = REVISIONS_DIR) -> None:
    write_atomic(root / MANIFEST, manifest_text(revs))


# --- the calculators' register (derived) ----------------------------------------------

def register_path(root: Path) -> Path:
    return root.parent / "calc" / "register.json"


def register_text(revs: list[Revision]) -> str:
    """What the calculators need: each document's versions with their dates, and the head."""
    docs: dict[str, list[dict]] = {}
    for r in revs:
        docs.setdefault(r.document, []).append({"version": r.version, "released": r.released,
                                                "effective": r.effective})
    data = {"about": "由 revisions/manifest.json 生成（python -m handbook release），请勿手工修改",
            "head": head(revs), "documents": dict(sorted(docs.items()))}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_register(revs: list[Revision], root: Path = REVISIONS_DIR) -> None:
    write_atomic(register_path(root), register_text(revs))


# --- verification --------------------------------------------------------------------

def _check_fields(n: int, r: Revision) -> list[str]:
    from handbook import roster

    out, where = [], f"revisions/manifest.json 第 {n} 条记录（{r.document} {r.version}）"
    for check in (lambda: parse_version(r.version), lambda: parse_date(r.released, "发布日期"),
                  lambda: parse_date(r.effective, "生效日期"), lambda: roster.name(r.approver)):
        try:
            check()
        except ValueError as e:
            out.append(f"{where}：{e}")
    if r.kind not in KINDS:
        out.append(f"{where}：变更类型应为 {' 或 '.join(KINDS)}，收到 {r.kind!r}")
    if r.file != f"{r.document}/{r.version}.md":
        out.append(f"{where}：快照文件应为 {r.document}/{r.version}.md，记录为 {r.file}")
    return out


def verify(root: Path = REVISIONS_DIR) -> list[str]:
    """Every snapshot as released and the chain unbroken. Returns the problems, each naming
    the entry or file and what to do; empty when all is well."""
    try:
        revs = entries(root)
    except ManifestError as e:
        return [str(e)]
    problems, listed = [], set()
    if not (root / MANIFEST).exists() and root.exists() and any(p.is_file() for p in root.rglob("*")):
        return ["revisions/manifest.json 缺失，而 revisions/ 中有版本快照：请从版本库恢复 manifest.json"]
    previous, broken = GENESIS, False
    for n, r in enumerate(revs, 1):
        listed.add(r.file)
        where = f"第 {n} 条记录（{r.document} {r.version}）"
        if not broken and r.previous != previous:
            problems.append(f"revisions/manifest.json {where}：哈希链自此断开（previous 与上一条记录的哈希不符），"
                            "上一条记录被改动、删除或调换了顺序：请从版本库恢复 manifest.json")
            broken = True
        if not broken and entry_hash(r) != r.hash:
            problems.append(f"revisions/manifest.json {where}：哈希链自此断开（记录的内容与其哈希不符），"
                            "这条记录的元数据或 SHA-256 被改动：请从版本库恢复 manifest.json 与版本快照")
            broken = True
        previous = r.hash
        problems += _check_fields(n, r)
        path = root / r.file
        if not path.exists():
            problems.append(f"revisions/{r.file}：已发布的版本快照被删除（{where}）：请从版本库恢复")
        elif digest(path) != r.sha256:
            problems.append(f"revisions/{r.file}：已发布的版本快照被改动（SHA-256 不符，{where}）：请从版本库恢复")
    seen = set()
    for r in revs:
        if (r.document, r.version) in seen:
            problems.append(f"revisions/manifest.json：{r.document} 第 {r.version} 版登记了两次")
        seen.add((r.document, r.version))
    if root.exists():
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and _is_temp(path):
                problems.append(f"revisions/{rel}：中断的写入留下的临时文件（重新运行同一条发布命令会清除它，也可直接删除）")
            elif path.is_file() and rel != MANIFEST and rel not in listed:
                problems.append(f"revisions/{rel}：不是由发布命令登记的文件（若是中断的发布留下的，"
                                "重新运行同一条发布命令即可；否则删除此文件）")
    reg = register_path(root)
    if (revs or reg.exists()) and not problems and (not reg.exists() or reg.read_text(encoding="utf-8") != register_text(revs)):
        problems.append("calc/register.json 与 revisions/manifest.json 不一致（上次发布可能中断）："
                        "重新运行同一条发布命令，或运行 python -m handbook register")
    return problems


def snapshot_text(path: Path) -> tuple[dict, str]:
    """A snapshot's header (its control fields at release) and its body."""
    import yaml

    text = path.read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(m.group(1)), text[m.end():]
