"""Releasing a document: render it as it stands (macros expanded, so the archived text
holds the parameter values of its day), refuse what must not be released, store the
snapshot and append the revision to the hash-chained manifest.

Only revisions/ and the derived calc/register.json are written, never TOML or YAML. The
writes are ordered so that a crash at any point leaves the old state, the new state, or
a state that `verify` names and a rerun of the same command completes:
  1. the snapshot file (a crash here leaves an unregistered file, overwritten on retry);
  2. the manifest (the release is then recorded);
  3. calc/register.json (a crash before it leaves the register behind the manifest).
Each write goes to a temporary file first and is renamed into place (os.replace)."""

import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook import documents, revisions, roster
from handbook.revisions import KINDS, Revision, parse_date, parse_version

ROOT = Path(__file__).resolve().parent.parent
CAPTURE_ENV = "HANDBOOK_CAPTURE"
PENDING_ENV = "HANDBOOK_PENDING"   # "DOC VERSION EFFECTIVE": the release being captured
# What the calculator macro leaves in a captured page: removed with its line, so the
# archived text has no trace of the tools (adding or changing one changes no snapshot).
CALCULATOR_MARK = "<!-- handbook:calculator -->"


class ReleaseError(ValueError):
    pass


def render_all(root: Path = ROOT, pending: tuple[str, str, str] | None = None) -> dict[str, str]:
    """Every document's text as it stands: a site build in capture mode, in which the
    hook writes each document's Markdown after the macros have run (no wheel, no Pyodide:
    releasing needs only what the text needs)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, CAPTURE_ENV: tmp, "PYTHONPATH": str(root), "NO_MKDOCS_2_WARNING": "1"}
        if pending:
            env[PENDING_ENV] = " ".join(pending)
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(Path(tmp) / "site")],
                              cwd=root, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise ReleaseError(f"手册构建失败，无法发布：\n{proc.stderr[-2000:]}")
        return {p.stem: p.read_text(encoding="utf-8") for p in Path(tmp).glob("*.md")}


def captured_body(markdown: str) -> str:
    """A captured page without its front matter and title (the snapshot has its own), and
    without the calculators' places."""
    text = re.sub(r"^---\n.*?\n---\n", "", markdown, flags=re.S)
    text = re.sub(r"^# .*\n", "", text.lstrip("\n"), count=1)
    text = re.sub(rf"\n*^[ \t]*{re.escape(CALCULATOR_MARK)}[ \t]*$\n*", "\n\n", text, flags=re.M)
    return text.strip("\n") + "\n"


def check_version(previous: Revision | None, version: str, kind: str) -> None:
    """Substantive changes bump the major version, editorial ones the minor, by one."""
    major, minor = parse_version(version)
    if previous is None:
        if minor != 0:
            raise ReleaseError(f"首次发布的版本号应为 X.0，收到 {version}")
        return
    old_major, old_minor = parse_version(previous.version)
    if (major, minor) <= (old_major, old_minor):
        raise ReleaseError(f"版本号必须递增：上一版为 {previous.version}，收到 {version}")
    if kind == "substantive" and (major, minor) != (old_major + 1, 0):
        raise ReleaseError(f"实质性修订应升主版本（{previous.version} → {old_major + 1}.0），收到 {version}")
    if kind == "editorial" and (major, minor) != (old_major, old_minor + 1):
        raise ReleaseError(f"编辑性修订应升次版本（{previous.version} → {old_major}.{old_minor + 1}），收到 {version}")


def normalise_summary(summary: str) -> str:
    text = " ".join((summary or "").split())
    if not text:
        raise ReleaseError("变更摘要不能为空")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in text):
        raise ReleaseError("变更摘要含有控制字符")
    return text


@dataclass(frozen=True)
class Request:
    """A release's arguments, checked and normalised before anything is rendered or written."""
    number: str
    version: str
    kind: str
    summary: str
    effective: str
    approver: str
    released: str


def check_request(number, version, kind, summary, effective, approver, today, retroactive,
                  docs, history) -> Request:
    if number not in docs:
        raise ReleaseError(f"没有文件 {number!r}")
    if kind not in KINDS:
        raise ReleaseError(f"变更类型应为 {' 或 '.join(KINDS)}，收到 {kind!r}")
    summary = normalise_summary(summary)
    try:
        parse_version(version)
        released = today.isoformat()
        previous = history[-1] if history else None
        if effective is None:
            # Default: from the release day, but never before the version it replaces.
            effective = max(released, previous.effective) if previous else released
        day = parse_date(effective, "生效日期")
    except ValueError as e:
        raise ReleaseError(str(e)) from None
    effective = day.isoformat()
    check_version(previous, version, kind)
    approver = approver or docs[number].meta["approver"]
    roster.name(approver)
    if effective < released and not retroactive:
        raise ReleaseError(f"生效日期 {effective} 早于发布日期 {released}：追溯生效须加 --retroactive 明示")
    if previous and effective < previous.effective:
        raise ReleaseError(f"生效日期 {effective} 早于上一版（{previous.version}）的生效日期 {previous.effective}")
    return Request(number, version, kind, summary, effective, approver, released)


def _retry_of(entries: list[Revision], req: Request, root: Path) -> Revision | None:
    """A release already recorded whose register write did not happen (a crash between
    steps 2 and 3): the same document, version, kind and summary as the last entry."""
    if not entries:
        return None
    last = entries[-1]
    same = (last.document, last.version, last.kind, last.summary) == (req.number, req.version, req.kind, req.summary)
    reg = revisions.register_path(root)
    behind = not reg.exists() or reg.read_text(encoding="utf-8") != revisions.register_text(entries)
    return last if same and behind else None


def release(number: str, version: str, kind: str, summary: str, effective: str | None = None,
            approver: str | None = None, today: dt.date | None = None, root: Path = ROOT,
            retroactive: bool = False) -> Revision:
    from calc.parameters import today as china_today

    rev_dir = root / "revisions"
    try:
        entries = revisions.entries(rev_dir)
    except revisions.ManifestError as e:
        raise ReleaseError(f"{e}（未发布）") from None
    docs = documents.load_all(root / "docs")
    history = [r for r in entries if r.document == number]
    req_today = today or china_today()
    rel = f"{number}/{version}.md"
    # A crashed release rerun: finish it instead of refusing the same version again.
    if history and history[-1].version == version:
        req = Request(number, version, kind, normalise_summary(summary), history[-1].effective,
                      history[-1].approver, history[-1].released)
        done = _retry_of(entries, req, rev_dir)
        if done:
            revisions.write_register(entries, rev_dir)
            return done
    req = check_request(number, version, kind, summary, effective, approver, req_today, retroactive,
                        docs, history)
    revisions.remove_temp_files(rev_dir)   # left by a release killed mid-write: never read
    problems = [p for p in revisions.verify(rev_dir)
                if not p.startswith(f"revisions/{rel}：不是由发布命令登记的文件") and not p.startswith("calc/register.json")]
    if problems:
        raise ReleaseError("发布前校验未通过，未发布：\n" + "\n".join(problems))

    body = captured_body(render_all(root, (number, version, req.effective))[number])
    if history:
        _, last_body = revisions.snapshot_text(rev_dir / history[-1].file)
        if last_body == body:
            raise ReleaseError(f"{number} 的正文与上一版（{history[-1].version}）相同，无需发布")

    doc = docs[number]
    header = {"doc_no": number, "title": doc.title, "version": version, "released": req.released,
              "effective": req.effective, "kind": kind, "summary": req.summary, "approver": req.approver,
              **{k: doc.meta[k] for k in ("owner", "executing", "supervising", "review_cycle", "sources")}}
    path = rev_dir / rel
    revisions.write_atomic(path, "---\n" + yaml.safe_dump(header, allow_unicode=True, sort_keys=False)
                           + "---\n" + body)                                          # step 1
    revision = revisions.chained(Revision(number, version, req.released, req.effective, kind, req.summary,
                                          req.approver, rel, revisions.digest(path)), revisions.head(entries))
    entries = entries + [revision]
    revisions.save(entries, rev_dir)                                                  # step 2
    revisions.write_register(entries, rev_dir)                                        # step 3
    return revision
