"""Releasing a document: render it as it stands (macros expanded, so the archived text
holds the parameter values of its day), refuse what must not be released, store the
snapshot, record its SHA-256 and append the revision to the log."""

import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from handbook import documents, revisions, roster
from handbook.revisions import KINDS, Revision, parse_version

ROOT = Path(__file__).resolve().parent.parent
CAPTURE_ENV = "HANDBOOK_CAPTURE"
CALCULATOR_NOTE = "> 本条附有计算器，仅在现行版本的页面上提供。"


class ReleaseError(ValueError):
    pass


def render_all(root: Path = ROOT) -> dict[str, str]:
    """Every document's text as it stands: a site build in capture mode, in which the
    hook writes each document's Markdown after the macros have run."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, CAPTURE_ENV: tmp, "PYTHONPATH": str(root), "NO_MKDOCS_2_WARNING": "1"}
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(Path(tmp) / "site")],
                              cwd=root, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise ReleaseError(f"手册构建失败，无法发布：\n{proc.stderr[-2000:]}")
        return {p.stem: p.read_text(encoding="utf-8") for p in Path(tmp).glob("*.md")}


def captured_body(markdown: str) -> str:
    """A captured page without its front matter and title (the snapshot has its own)."""
    text = re.sub(r"^---\n.*?\n---\n", "", markdown, flags=re.S)
    text = re.sub(r"^# .*\n", "", text.lstrip("\n"), count=1)
    return text.strip("\n") + "\n"


def check_version(previous: Revision | None, version: str, kind: str) -> None:
    """Substantive changes bump the major version, editorial ones the minor."""
    major, minor = parse_version(version)
    if previous is None:
        if minor != 0 and kind == "substantive":
            raise ReleaseError(f"首次发布的版本号应为 X.0，收到 {version}")
        return
    old_major, old_minor = parse_version(previous.version)
    if (major, minor) <= (old_major, old_minor):
        raise ReleaseError(f"版本号必须递增：上一版为 {previous.version}，收到 {version}")
    if kind == "substantive" and not (major > old_major and minor == 0):
        raise ReleaseError(f"实质性修订应升主版本（{previous.version} → {old_major + 1}.0），收到 {version}")
    if kind == "editorial" and not (major == old_major and minor > old_minor):
        raise ReleaseError(f"编辑性修订应升次版本（{previous.version} → {old_major}.{old_minor + 1}），收到 {version}")


def set_register_version(number: str, version: str, policy_file: Path) -> None:
    text = policy_file.read_text(encoding="utf-8")
    pattern = re.compile(rf'(\[documents\.{re.escape(number)}\]\ntitle = "[^"]*"\nversion = )"[^"]*"')
    new, n = pattern.subn(rf'\g<1>"{version}"', text)
    if n != 1:
        raise ReleaseError(f"calc/policy.toml 中找不到 [documents.{number}] 的版本行")
    policy_file.write_text(new, encoding="utf-8")


def set_effective(path: Path, effective: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(r"^effective: .*$", f"effective: {effective}", text, count=1, flags=re.M)
    if n != 1:
        raise ReleaseError(f"{path.name} 的前置信息中没有 effective")
    path.write_text(new, encoding="utf-8")


def release(number: str, version: str, kind: str, summary: str, effective: str | None = None,
            approver: str | None = None, today: dt.date | None = None, root: Path = ROOT) -> Revision:
    if kind not in KINDS:
        raise ReleaseError(f"变更类型应为 {' 或 '.join(KINDS)}，收到 {kind!r}")
    if not summary or not summary.strip():
        raise ReleaseError("变更摘要不能为空")
    docs = documents.load_all(root / "docs")
    if number not in docs:
        raise ReleaseError(f"没有文件 {number}")
    doc = docs[number]
    rev_dir = root / "revisions"
    manifest = revisions.load(rev_dir)
    history = manifest.get(number, [])
    previous = history[-1] if history else None
    check_version(previous, version, kind)
    approver = approver or doc.meta["approver"]
    roster.name(approver)
    today = today or dt.date.today()
    effective = effective or doc.effective.isoformat()
    dt.date.fromisoformat(effective)
    if previous and effective < previous.effective:
        raise ReleaseError(f"生效日期 {effective} 早于上一版的生效日期 {previous.effective}")

    body = captured_body(render_all(root)[number])
    if previous is not None:
        _, last_body = revisions.snapshot_text(rev_dir / previous.file)
        if last_body == body:
            raise ReleaseError(f"{number} 的正文与上一版（{previous.version}）相同，无需发布")

    header = {"doc_no": number, "title": doc.title, "version": version, "released": today.isoformat(),
              "effective": effective, "kind": kind, "summary": summary.strip(), "approver": approver,
              **{k: doc.meta[k] for k in ("owner", "executing", "supervising", "review_cycle", "sources")}}
    rel = f"{number}/{version}.md"
    path = rev_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(header, allow_unicode=True, sort_keys=False) + "---\n" + body,
                    encoding="utf-8")
    revision = Revision(number, version, today.isoformat(), effective, kind, summary.strip(), approver,
                        rel, revisions.digest(path))
    manifest[number] = history + [revision]
    revisions.save(manifest, rev_dir)
    # The version in force and its effective date, where the site and calculators read them.
    set_register_version(number, version, root / "calc" / "policy.toml")
    set_effective(doc.path, effective)
    return revision
