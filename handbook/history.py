"""The anchor of the record of releases: its git history.

The hash chain in revisions/manifest.json shows an entry edited on its own, but whoever
edits an old entry can recompute every hash after it. What they cannot recompute is the
history already shared: every committed version of the manifest must extend the version
before it by appending only (no entry edited, moved or removed), and the working tree's
manifest must extend HEAD's. So a release once committed cannot disappear or change, and
since its entry keeps its SHA-256, neither can its snapshot (verify checks the file).

The manifest's first format (before the chain, one list per document) is read too: each
document's releases in it must come first, unchanged, in that document's releases after.

Where there is no git history to read, what verify does:
- not in a git work tree at all (an exported copy, a test's copy): the history is not
  checked, and `python -m handbook verify` says so; there is nothing to compare with;
- a git work tree (a `.git` above revisions/) but no `git` command, or git fails: a
  problem, the build stops (the anchor exists and could not be read);
- a shallow clone: a problem, the build stops (its history is cut, so a rewritten record
  could pass); `git fetch --unshallow` fixes it. CI runs `git clone . x && make test`,
  a full clone.
A commit in which the manifest is missing or unreadable is passed over (that commit's own
verify failed); the next readable version must extend the last readable one."""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from handbook import revisions

LEGACY_FIELDS = [f for f in revisions.FIELDS if f not in ("previous", "hash")]


@dataclass(frozen=True)
class Record:
    """One version of the manifest: its entries in order (format 2), or, in the first
    format, each document's entries (chain is None)."""
    chain: list | None
    by_document: dict


@dataclass
class Result:
    problems: list
    note: str


def _parse(text: str) -> Record | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict) and data.get("format") == revisions.FORMAT and isinstance(data.get("revisions"), list):
        chain = [e for e in data["revisions"] if isinstance(e, dict)]
        by_doc: dict = {}
        for e in chain:
            by_doc.setdefault(e.get("document"), []).append(e)
        return Record(chain, by_doc)
    if isinstance(data, dict) and "format" not in data and all(isinstance(v, list) for v in data.values()):
        return Record(None, {k: [e for e in v if isinstance(e, dict)] for k, v in data.items()})
    return None


def _label(e: dict) -> str:
    return f"{e.get('document', '?')} {e.get('version', '?')}"


def _lost(old: Record, new: Record) -> str | None:
    """How `new` fails to extend `old` by appending only, or None."""
    if old.chain is not None:
        if new.chain is None:
            return "发布记录退回了旧格式"
        for n, e in enumerate(old.chain, 1):
            if n > len(new.chain):
                return f"第 {n} 条记录（{_label(e)}）被删除"
            if new.chain[n - 1] != e:
                kept = any((x.get("document"), x.get("version")) == (e.get("document"), e.get("version"))
                           for x in new.chain)
                return f"第 {n} 条记录（{_label(e)}）被{'改动或移动' if kept else '删除'}"
        return None
    for doc, old_list in old.by_document.items():
        new_list = new.by_document.get(doc, [])
        for n, e in enumerate(old_list, 1):
            if n > len(new_list):
                return f"{doc} 的第 {n} 个版本（{_label(e)}）被删除"
            if any(new_list[n - 1].get(k) != e.get(k) for k in LEGACY_FIELDS):
                kept = any(x.get("version") == e.get("version") for x in new_list)
                return f"{doc} 的第 {n} 个版本（{_label(e)}）被{'改动或移动' if kept else '删除'}"
    return None


def _git(top: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    # Variables such as GIT_DIR (set inside git hooks) would point git elsewhere.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["LC_ALL"] = "C"
    return subprocess.run(["git", "-C", str(top), *args], input=stdin, capture_output=True, env=env, timeout=120)


def _in_work_tree(path: Path) -> bool:
    return any((p / ".git").exists() for p in [path, *path.parents])


def _blobs(top: Path, ids: list[str]) -> dict[str, bytes]:
    """Blob contents by id, in one `git cat-file --batch`."""
    if not ids:
        return {}
    out = _git(top, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in ids).encode()).stdout
    blobs, pos = {}, 0
    for i in ids:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        size = int(header[2])
        blobs[i] = out[end + 1:end + 1 + size]
        pos = end + 1 + size + 1
    return blobs


def versions(root: Path) -> tuple[list[tuple[str, list[str], Record | None, str | None]], Path] | Result:
    """Every commit reachable from HEAD, parents first: (commit, parents, the manifest as
    committed there or None, its blob id), and the work tree's top; or a Result saying why
    the history cannot be read."""
    project = root.parent
    in_tree = _in_work_tree(project.resolve())
    if shutil.which("git") is None:
        if in_tree:
            return Result(["revisions/manifest.json：找不到 git 命令，无法核对发布记录的 git 历史："
                           "请安装 git 后再运行"], "")
        return Result([], "不在 git 版本库中：未核对发布记录的 git 历史（只校验了哈希链与快照）")
    top = _git(project, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        if in_tree:
            reason = top.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
            return Result([f"revisions/manifest.json：无法读取 git 历史（git：{reason[0] if reason else top.returncode}），"
                           "无法核对发布记录只以追加方式增长"], "")
        return Result([], "不在 git 版本库中：未核对发布记录的 git 历史（只校验了哈希链与快照）")
    top_dir = Path(top.stdout.decode().strip())
    if _git(top_dir, "rev-parse", "--is-shallow-repository").stdout.decode().strip() == "true":
        return Result(["revisions/manifest.json：这是浅克隆（shallow clone），缺少早期的提交，无法核对发布记录"
                       "只以追加方式增长：请运行 git fetch --unshallow，或完整克隆版本库"], "")
    if _git(top_dir, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        return Result([], "git 版本库中尚无提交：未核对发布记录的 git 历史")
    rel = os.path.relpath(os.path.realpath(root / revisions.MANIFEST), os.path.realpath(top_dir))
    listing = _git(top_dir, "rev-list", "--topo-order", "--reverse", "--parents", "HEAD")
    if listing.returncode != 0:
        return Result([f"revisions/manifest.json：无法读取 git 历史（git rev-list 失败）"], "")
    commits = [line.split() for line in listing.stdout.decode().splitlines() if line.strip()]
    found = _git(top_dir, "cat-file", "--batch-check",
                 stdin="".join(f"{c[0]}:{rel}\n" for c in commits).encode()).stdout.decode().splitlines()
    blob_of = {}
    for c, line in zip(commits, found):
        parts = line.split()
        ok = len(parts) == 3 and parts[1] == "blob" and int(parts[2]) <= revisions.MAX_MANIFEST_BYTES
        blob_of[c[0]] = parts[0] if ok else None
    texts = _blobs(top_dir, sorted({b for b in blob_of.values() if b}))
    parsed = {b: _parse(t.decode("utf-8", "replace")) for b, t in texts.items()}
    return [(c[0], c[1:], parsed.get(blob_of[c[0]]) if blob_of[c[0]] else None, blob_of[c[0]])
            for c in commits], top_dir


def _describe(top: Path, commit: str) -> str:
    shown = _git(top, "show", "-s", "--format=%h（%cs，%s）", commit).stdout.decode("utf-8", "replace").strip()
    return shown or commit[:12]


def check(root: Path = revisions.REVISIONS_DIR) -> Result:
    read = versions(root)
    if isinstance(read, Result):
        return read
    history, top = read
    problems = []
    last: dict[str, tuple[Record | None, str | None]] = {}   # commit -> the last readable record, its blob
    for commit, parents, record, blob in history:
        before = [last[p] for p in parents if p in last]
        if record is None:
            last[commit] = before[0] if before else (None, None)
            continue
        for old, old_blob in before:
            if old is None or old_blob == blob:
                continue
            lost = _lost(old, record)
            if lost:
                problems.append(f"revisions/manifest.json：提交 {_describe(top, commit)}中，{lost}。发布记录只能追加，"
                                "已记录的版本不能改动、删除或调换顺序：请撤回该提交（尚未共享时改写 git 历史），"
                                "恢复原来的记录")
        last[commit] = (record, blob)
    head_record = last[history[-1][0]][0] if history else None
    if head_record is not None:
        try:
            text = revisions.read_bytes(root / revisions.MANIFEST, "revisions/manifest.json",
                                        revisions.MAX_MANIFEST_BYTES).decode("utf-8", "replace")
            current = _parse(text) or Record([], {})
        except FileNotFoundError:
            current = Record([], {})
        except revisions.UnsafeFile:
            current = None   # verify names it
        lost = _lost(head_record, current) if current is not None else None
        if lost:
            problems.append(f"revisions/manifest.json：与最近一次提交（{_describe(top, history[-1][0])}）相比，{lost}。"
                            "发布记录只能追加：请恢复已提交的记录（git checkout HEAD -- revisions calc/register.json），"
                            "新版本只用发布命令追加")
    with_record = sum(1 for _, _, record, _ in history if record is not None)
    note = (f"已核对 git 历史：{with_record} 个提交中的发布记录都只以追加方式增长" if with_record
            else "git 历史中还没有提交过发布记录：未核对其历史")
    return Result(problems, note)


def problems(root: Path = revisions.REVISIONS_DIR) -> list[str]:
    return check(root).problems


def recorded_in(root: Path, document: str, version: str) -> str | None:
    """The first commit whose manifest records a release (None when git cannot tell)."""
    read = versions(root)
    if isinstance(read, Result):
        return None
    for commit, _, record, _ in read[0]:
        if record and any((e.get("document"), e.get("version")) == (document, version)
                          for e in record.by_document.get(document, [])):
            return commit
    return None


def file_at(root: Path, commit: str, path: str) -> str | None:
    """A file of the project (path relative to the project) as committed, or None."""
    top = _git(root.parent, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        return None
    rel = os.path.relpath(os.path.realpath(root.parent / path), os.path.realpath(top.stdout.decode().strip()))
    shown = _git(root.parent, "show", f"{commit}:{rel}")
    return shown.stdout.decode("utf-8", "replace") if shown.returncode == 0 else None


def first_recorded(root: Path, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], str] | Result:
    """For each (document, version), the first commit whose manifest records it (one read
    of the history for all); a Result saying why when the history cannot be read."""
    read = versions(root)
    if isinstance(read, Result):
        return read
    found: dict[tuple[str, str], str] = {}
    for commit, _, record, _ in read[0]:
        if record is None:
            continue
        for doc, entries in record.by_document.items():
            for e in entries:
                key = (doc, e.get("version"))
                if key in wanted and key not in found:
                    found[key] = commit
    return found


def extract(project: Path, commit: str, path: str, dest: Path) -> bool:
    """A folder of the project (path relative to the project) as committed, written under
    dest (dest/<its name>/…); False when git cannot give it."""
    import io
    import tarfile

    top = _git(project, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        return False
    rel = os.path.relpath(os.path.realpath(project / path), os.path.realpath(top.stdout.decode().strip()))
    tar = _git(project, "archive", "--format=tar", f"{commit}:{Path(rel).as_posix()}")
    if tar.returncode != 0:
        return False
    target = dest / Path(path).name
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as archive:
        archive.extractall(target, filter="data")
    return True
