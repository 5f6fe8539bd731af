"""Released revisions: kept unchanged under revisions/<DOC>/<version>.md and recorded in
revisions/manifest.json, the one record of versions, release and effective dates, kinds,
summaries and approvers. Only the release command writes here.

The manifest is a hash chain: each entry carries the hash of the entry before it, and its
own hash covers its snapshot's SHA-256 and all its metadata, so editing an old snapshot
together with its recorded SHA-256, or any field, breaks the chain at that entry. The
last hash (the head) is printed on the site, so a saved or printed copy can be checked.

calc/register.json is derived from the manifest (the calculators in the page cannot read
revisions/; the site serves the register beside the wheel, not in it, so an editorial
release leaves the wheel and snapshot unchanged); verify checks that it is in step.

A chain alone has no anchor: whoever edits an old entry can recompute every hash after it.
The anchor is the git history (handbook/history.py): verify also checks that the record
only ever grew by appending. Everything here is read without following links, without
blocking on pipes or devices, and up to a size limit, so that no file placed in revisions/
can make verify (and the build, which runs it) hang, exhaust memory or publish a file
from elsewhere."""

import datetime as dt
import hashlib
import json
import os
import re
import stat
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
DOC_NUMBER_RE = re.compile(r"[A-Z]{2}-[0-9]{2}", re.ASCII)
# Far above anything real (the longest snapshot is 33 KB, the manifest 19 KB for 34 releases).
MAX_SNAPSHOT_BYTES = 2_000_000
MAX_MANIFEST_BYTES = 8_000_000
MAX_REGISTER_BYTES = 8_000_000


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


# --- reading files safely ------------------------------------------------------------

_KINDS_OF_FILE = ((stat.S_ISDIR, "文件夹"), (stat.S_ISFIFO, "命名管道"), (stat.S_ISCHR, "设备文件"),
                  (stat.S_ISBLK, "设备文件"), (stat.S_ISSOCK, "套接字"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS_OF_FILE if test(mode)), "特殊文件")


def link_problem(shown: str) -> str:
    return f"{shown}：是符号链接，发布记录中不接受链接（不跟随它读取或发布）：删除该链接，从版本库恢复原来的文件"


def type_problem(shown: str, mode: int) -> str:
    return f"{shown}：不是普通文件（{_kind(mode)}）：删除它，从版本库恢复原来的文件"


def size_problem(shown: str, limit: int) -> str:
    return f"{shown}：文件过大（最多 {limit:,} 字节），未读取：从版本库恢复原来的文件"


class UnsafeFile(ManifestError):
    """A file of the record that is a link, not a regular file, or too big: never read."""


def _folders_problem(path: Path, base: Path, base_shown: str) -> str | None:
    """A link among the folders from base down to path's folder (O_NOFOLLOW guards only
    the last part of a path); base_shown is how messages name base ("" for the project)."""
    folder = base
    for part in path.relative_to(base).parts[:-1]:
        folder = folder / part
        try:
            st = os.lstat(folder)
        except OSError:
            return None   # missing: the caller names the missing file
        rel = folder.relative_to(base).as_posix()
        shown = f"{base_shown}/{rel}" if base_shown else rel
        if stat.S_ISLNK(st.st_mode):
            return link_problem(shown)
        if not stat.S_ISDIR(st.st_mode):
            return type_problem(shown, st.st_mode)
    return None


def read_bytes(path: Path, shown: str, limit: int, base: Path | None = None, base_shown: str = "") -> bytes:
    """A regular file's bytes: never through a link (the file or, from `base` down, its
    folders), never blocking on a pipe or device, never more than `limit` bytes. Raises
    FileNotFoundError, or UnsafeFile naming the file as `shown`."""
    if base is not None:
        problem = _folders_problem(path, base, base_shown)
        if problem:
            raise UnsafeFile(problem)
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            raise UnsafeFile(link_problem(shown)) from None
        raise UnsafeFile(f"{shown}：无法读取（{_kind(st.st_mode) if not stat.S_ISREG(st.st_mode) else '没有读取权限'}）") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeFile(type_problem(shown, st.st_mode))
        if st.st_size > limit:
            raise UnsafeFile(size_problem(shown, limit))
        chunks, size = [], 0
        while True:   # the file may grow while read: never past the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise UnsafeFile(size_problem(shown, limit))
        return b"".join(chunks)
    finally:
        os.close(fd)


def snapshot_digest(root: Path, rel: str) -> str:
    """The SHA-256 of revisions/<rel>, read safely (UnsafeFile, FileNotFoundError)."""
    data = read_bytes(root / rel, f"revisions/{rel}", MAX_SNAPSHOT_BYTES, base=root, base_shown="revisions")
    return hashlib.sha256(data).hexdigest()


def _root_problem(root: Path) -> str | None:
    try:
        st = os.lstat(root)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        return link_problem("revisions")
    if not stat.S_ISDIR(st.st_mode):
        return type_problem("revisions", st.st_mode)
    return None


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
    problem = _root_problem(root)
    if problem:
        raise UnsafeFile(problem)
    try:
        text = read_bytes(path, where, MAX_MANIFEST_BYTES).decode("utf-8", errors="replace")
    except FileNotFoundError:
        return []
    return parse_manifest(text)


def parse_manifest(text: str) -> list[dict]:
    """The raw entries of a manifest's text (format 2); ManifestError for anything else."""
    where = "revisions/manifest.json"
    if not text.strip():
        raise ManifestError(f"{where} 是空文件（可能是中断的写入）：请从版本库恢复该文件后再运行")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ManifestError(f"{where} 不是完整的 JSON（第 {e.lineno} 行第 {e.colno} 列），可能被截断或改动："
                            "请从版本库恢复该文件后再运行") from None
    except RecursionError:
        raise ManifestError(f"{where} 嵌套过深，不是发布记录：请从版本库恢复该文件后再运行") from None
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


def _tree(root: Path) -> list[tuple[str, os.stat_result]]:
    """Everything under revisions/ (relative path, lstat), links never followed: the record's
    folders are the documents' folders, one level deep; nothing deeper is entered."""
    out = []
    try:
        top = sorted(os.scandir(root), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return out
    for entry in top:
        st = entry.stat(follow_symlinks=False)
        out.append((entry.name, st))
        if stat.S_ISDIR(st.st_mode):
            for sub in sorted(os.scandir(entry.path), key=lambda e: e.name):
                out.append((f"{entry.name}/{sub.name}", sub.stat(follow_symlinks=False)))
    return out


def remove_temp_files(root: Path) -> None:
    if _root_problem(root):
        return
    temps = [root / rel for rel, st in _tree(root) if stat.S_ISREG(st.st_mode) and _is_temp(Path(rel))]
    calc = register_path(root).parent
    if calc.is_dir() and not calc.is_symlink():
        temps += [p for p in calc.glob(".*.tmp") if p.is_file() and not p.is_symlink()]
    for path in temps:
        path.unlink()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a crash leaves either the old file or the new one, whole, with
    the permissions of a file created normally (mkstemp makes it private to the user)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
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


def register_in_step(revs: list[Revision], root: Path) -> bool:
    """calc/register.json is what the manifest gives (read safely: UnsafeFile otherwise)."""
    try:
        data = read_bytes(register_path(root), "calc/register.json", MAX_REGISTER_BYTES, base=root.parent)
    except FileNotFoundError:
        return False
    return data == register_text(revs).encode("utf-8")


# --- the release rules -----------------------------------------------------------------

def version_problem(previous: str | None, version: str, kind: str) -> str | None:
    """Substantive changes bump the major version, editorial ones the minor, by one."""
    major, minor = parse_version(version)
    if previous is None:
        return f"首次发布的版本号应为 X.0，收到 {version}" if minor != 0 else None
    old_major, old_minor = parse_version(previous)
    if (major, minor) <= (old_major, old_minor):
        return f"版本号必须递增：上一版为 {previous}，收到 {version}"
    if kind == "substantive" and (major, minor) != (old_major + 1, 0):
        return f"实质性修订应升主版本（{previous} → {old_major + 1}.0），收到 {version}"
    if kind == "editorial" and (major, minor) != (old_major, old_minor + 1):
        return f"编辑性修订应升次版本（{previous} → {old_major}.{old_minor + 1}），收到 {version}"
    return None


def document_problem(number: str, known: set[str] | None) -> str | None:
    """A document number as the record may hold it: the pattern, and a document in docs/."""
    if not (isinstance(number, str) and DOC_NUMBER_RE.fullmatch(number)):
        return f"文件编号应为两个大写字母、连字符和两位数字（如 XY-03），收到 {json.dumps(number, ensure_ascii=False)}"
    if known is not None and number not in known:
        return f"docs/ 中没有文件 {number}"
    return None


def known_documents(root: Path) -> set[str] | None:
    """The documents in docs/ beside revisions/ (None when there is no docs/ to compare with)."""
    docs = root.parent / "docs"
    if not docs.is_dir():
        return None
    return {p.stem for p in docs.glob("*/*.md") if DOC_NUMBER_RE.fullmatch(p.stem)}


# --- verification --------------------------------------------------------------------

def _check_fields(n: int, r: Revision, known: set[str] | None) -> tuple[list[str], bool]:
    """The entry's own fields; and whether its document and file may be looked at."""
    from handbook import roster

    out, where = [], f"revisions/manifest.json 第 {n} 条记录（{r.document} {r.version}）"
    problem = document_problem(r.document, known)
    if problem:
        out.append(f"{where}：{problem}")
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
    safe = not problem or problem.startswith("docs/")
    return out, safe and r.file == f"{r.document}/{r.version}.md" and VERSION_RE.fullmatch(r.version) is not None


def _valid(text: str, parse) -> bool:
    try:
        parse(text)
        return True
    except ValueError:
        return False


def _check_rules(revs: list[Revision], today: dt.date) -> list[str]:
    """What the release command refuses, checked again on the record: versions that skip
    or go back, a kind that does not match the bump, an effective date before the previous
    version's, a release dated after today or before the entry above it."""
    out, last, released_before = [], {}, None
    for n, r in enumerate(revs, 1):
        where = f"revisions/manifest.json 第 {n} 条记录（{r.document} {r.version}）"
        previous = last.get(r.document)
        if _valid(r.version, parse_version) and r.kind in KINDS \
                and (previous is None or _valid(previous.version, parse_version)):
            problem = version_problem(previous.version if previous else None, r.version, r.kind)
            if problem:
                out.append(f"{where}：{problem}")
        if _valid(r.released, parse_date):
            if r.released > today.isoformat():
                out.append(f"{where}：发布日期 {r.released} 晚于今天（{today.isoformat()}）")
            if released_before and r.released < released_before:
                out.append(f"{where}：发布日期 {r.released} 早于上一条记录的发布日期 {released_before}"
                           "（记录按发布顺序排列）")
            released_before = r.released
        if previous and _valid(r.effective, parse_date) and _valid(previous.effective, parse_date) \
                and r.effective < previous.effective:
            out.append(f"{where}：生效日期 {r.effective} 早于上一版（{previous.version}）的生效日期 {previous.effective}")
        last[r.document] = r
    return out


def _stray(root: Path, listed: set[str]) -> list[str]:
    """Files in revisions/ that the manifest does not list, and anything that is not a plain
    file in a document's folder: each named, none followed or read."""
    out = []
    for rel, st in _tree(root):
        shown = f"revisions/{rel}"
        if rel in listed:
            continue   # the entry's own check names it
        if stat.S_ISLNK(st.st_mode):
            out.append(link_problem(shown))
        elif stat.S_ISDIR(st.st_mode):
            if "/" in rel:
                out.append(f"{shown}：不应有的文件夹（已发布版本的快照只在 revisions/<文件编号>/ 中）：删除它")
        elif not stat.S_ISREG(st.st_mode):
            out.append(type_problem(shown, st.st_mode))
        elif _is_temp(Path(rel)):
            out.append(f"{shown}：中断的写入留下的临时文件（重新运行同一条发布命令会清除它，也可直接删除）")
        elif rel != MANIFEST:
            out.append(f"{shown}：不是由发布命令登记的文件（若是中断的发布留下的，"
                       "重新运行同一条发布命令即可；否则删除此文件）")
    return out


def verify(root: Path = REVISIONS_DIR, today: dt.date | None = None, history: bool = True) -> list[str]:
    """Every snapshot as released, the chain unbroken, the release rules kept, and (from git)
    the record only ever appended to. Returns the problems, each naming the entry or file
    and what to do; empty when all is well."""
    from calc.parameters import today as china_today

    problem = _root_problem(root)
    if problem:
        return [problem]
    try:
        revs = entries(root)
    except ManifestError as e:
        return [str(e)]
    problems, listed = [], set()
    if not (root / MANIFEST).exists() and any(stat.S_ISREG(st.st_mode) for _, st in _tree(root)):
        return ["revisions/manifest.json 缺失，而 revisions/ 中有版本快照：请从版本库恢复 manifest.json"]
    known = known_documents(root)
    previous, broken = GENESIS, False
    for n, r in enumerate(revs, 1):
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
        found, safe = _check_fields(n, r, known)
        problems += found
        if not safe:
            continue   # never look at a path the record should not hold
        listed.add(r.file)
        try:
            if snapshot_digest(root, r.file) != r.sha256:
                problems.append(f"revisions/{r.file}：已发布的版本快照被改动（SHA-256 不符，{where}）：请从版本库恢复")
        except FileNotFoundError:
            problems.append(f"revisions/{r.file}：已发布的版本快照被删除（{where}）：请从版本库恢复")
        except UnsafeFile as e:
            problems.append(str(e))
    problems += _check_rules(revs, today or china_today())
    seen = set()
    for r in revs:
        if (r.document, r.version) in seen:
            problems.append(f"revisions/manifest.json：{r.document} 第 {r.version} 版登记了两次")
        seen.add((r.document, r.version))
    problems += _stray(root, listed)
    if not problems:
        try:
            reg_exists = os.path.lexists(register_path(root))
            if (revs or reg_exists) and not register_in_step(revs, root):
                problems.append("calc/register.json 与 revisions/manifest.json 不一致（上次发布可能中断）："
                                "重新运行同一条发布命令，或运行 python -m handbook register")
        except UnsafeFile as e:
            problems.append(str(e))
    if history:
        from handbook import history as git_history

        problems += git_history.problems(root)
    return list(dict.fromkeys(problems))


def snapshot_text(path: Path) -> tuple[dict, str]:
    """A snapshot's header (its control fields at release) and its body."""
    from handbook.documents import split_front_matter

    text = read_bytes(path, f"revisions/{path.parent.name}/{path.name}", MAX_SNAPSHOT_BYTES).decode("utf-8")
    header, body, _ = split_front_matter(text)
    return header, body
