"""Releasing a document: render it as it stands (macros expanded, so the archived text
holds the parameter values of its day), refuse what must not be released, store the
snapshot and append the revision to the hash-chained manifest.

Only revisions/ and the derived calc/register.json are written, never TOML or YAML. The
writes are ordered so that a crash at any point leaves the old state, the new state, or
a state that `verify` names and a rerun of the same command completes:
  1. the snapshot file (a crash here leaves an unregistered file, overwritten on retry);
  2. the manifest (the release is then recorded);
  3. calc/register.json (a crash before it leaves the register behind the manifest).
Each write goes to a temporary file first and is renamed into place (os.replace).

Before the writes, the impact of the release (handbook/impact.py: the decisions that flip
against the document's last release) is shown and then kept in the snapshot's header.

Refused, with nothing written: a text that differs from the last release only where the
release itself writes (version, effective date); an editorial release whose rule
parameters changed (rule_parameters.py); an approver other than the document's; a summary
over MAX_SUMMARY characters. The same command run again after it completed says so."""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook import document_text, documents, revisions, roster, rule_parameters
from handbook.revisions import KINDS, Revision, parse_date, parse_version

ROOT = Path(__file__).resolve().parent.parent
MAX_SUMMARY = 500   # characters; the longest real summary has 131


class ReleaseError(ValueError):
    pass


class AlreadyReleased(ReleaseError):
    """The same release command, run again after it completed: nothing to do."""

    def __init__(self, revision: Revision):
        self.revision = revision
        super().__init__(f"{revision.document} 第 {revision.version} 版已于 {revision.released} 发布"
                         f"（{KINDS.get(revision.kind, revision.kind)}，生效日期 {revision.effective}），"
                         "这条发布命令已经完成，未再写入任何文件")


def render(root: Path = ROOT, pending: tuple[str, str, str] | None = None) -> document_text.Capture:
    """Every document's text as it stands, with the rule parameters it states
    (handbook/document_text.py: the macros expanded directly, no site build, no Pyodide)."""
    try:
        return document_text.render_all(root, pending)
    except document_text.RenderError as e:
        raise ReleaseError(f"手册构建失败，无法发布：{e}") from None


def render_all(root: Path = ROOT, pending: tuple[str, str, str] | None = None) -> dict[str, str]:
    return render(root, pending).texts


def captured_body(markdown: str) -> str:
    """A rendered document without its title and the calculators' places (the snapshot's body)."""
    return document_text.body(markdown)


def check_version(previous: Revision | None, version: str, kind: str) -> None:
    """Substantive changes bump the major version, editorial ones the minor, by one."""
    problem = revisions.version_problem(previous.version if previous else None, version, kind)
    if problem:
        raise ReleaseError(problem)


def normalise_summary(summary: str) -> str:
    text = " ".join((summary or "").split())
    if not text:
        raise ReleaseError("变更摘要不能为空")
    if len(text) > MAX_SUMMARY:
        raise ReleaseError(f"变更摘要过长：最多 {MAX_SUMMARY} 个字符，收到 {len(text):,} 个（摘要只写改了什么，"
                           "逐条的修改见版本对照）")
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


def check_approver(number: str, approver: str | None, docs) -> str:
    """Every revision, editorial ones too, is approved by the role the document names as
    its approver: each document says its revisions go to that role, its 施行 clause prints
    "经…批准" from that field, and the kind of a change is declared by whoever releases it."""
    required = docs[number].meta["approver"]
    approver = approver or required
    roster.name(approver)   # UnknownRole: not in the roster
    if approver != required:
        raise ReleaseError(f"{number} 的修订须由{roster.name(required)}（{required}，见该文件前置信息 approver）批准，"
                           f"收到 {approver}（{roster.name(approver)}）；编辑性修订也须由其批准")
    return approver


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
    approver = check_approver(number, approver, docs)
    if effective < released and not retroactive:
        raise ReleaseError(f"生效日期 {effective} 早于发布日期 {released}：追溯生效须加 --retroactive 明示")
    if previous and effective < previous.effective:
        raise ReleaseError(f"生效日期 {effective} 早于上一版（{previous.version}）的生效日期 {previous.effective}")
    return Request(number, version, kind, summary, effective, approver, released)


def _register_behind(entries: list[Revision], root: Path) -> bool:
    try:
        return not revisions.register_in_step(entries, root)
    except revisions.UnsafeFile:
        return False   # not a crash to complete: verify names the file


def _rerun(entries: list[Revision], history: list[Revision], number, version, kind, summary, effective,
           root: Path) -> Revision | None:
    """The same command again: after a crash between the manifest and the register
    (steps 2 and 3) it completes the release; after it completed it says so. The same
    version with another kind, summary or date is refused, naming the release recorded."""
    if not history or history[-1].version != version:
        return None
    last = history[-1]
    if (last.kind, last.summary) != (kind, normalise_summary(summary)) or effective not in (None, last.effective):
        raise ReleaseError(f"版本号必须递增：{number} 第 {version} 版已于 {last.released} 发布"
                           f"（{KINDS.get(last.kind, last.kind)}，摘要“{last.summary}”，生效日期 {last.effective}），"
                           "与本次命令不同；新的修订请用下一个版本号")
    if entries[-1] == last and _register_behind(entries, root):
        revisions.write_register(entries, root)   # step 3 of the interrupted release
        return last
    raise AlreadyReleased(last)


def unchanged(old_body: str, new_body: str, previous: Revision, version: str, effective: str) -> bool:
    """The texts differ only where the release itself writes: its version and effective
    date (the 施行 clause). Only the lines that differ are compared that way."""
    from handbook.pages import chinese_date

    old_lines, new_lines = old_body.splitlines(), new_body.splitlines()
    if len(old_lines) != len(new_lines):
        return False
    new_day, old_day = dt.date.fromisoformat(effective), dt.date.fromisoformat(previous.effective)
    for old, new in zip(old_lines, new_lines):
        if old == new:
            continue
        new = new.replace(chinese_date(new_day), chinese_date(old_day)).replace(effective, previous.effective)
        new = re.sub(rf"(?<![0-9.]){re.escape(version)}(?![0-9.])", previous.version, new)
        if old != new:
            return False
    return True


def check_kind(number: str, kind: str, previous: Revision, header: dict, stated: dict, rev_dir: Path) -> None:
    """A release that changes the document's rule parameters is substantive (see
    handbook/rule_parameters.py for which parameters and where the old values come from)."""
    if kind != "editorial":
        return
    major = parse_version(previous.version)[0] + 1
    advice = f"请按实质性修订发布（--kind substantive --version {major}.0）"
    old = rule_parameters.at_release(rev_dir, previous, header)
    if old is None:
        raise ReleaseError(f"无法确定 {number} 上一版（{previous.version}）发布时的规则参数（快照中没有记录，"
                           f"git 历史中也找不到），无法确认参数未变，不能作为编辑性修订发布：{advice}")
    changed = rule_parameters.changes(number, old, stated)
    if changed:
        raise ReleaseError(f"{number} 的规则参数自上一版（{previous.version}）以来有变化，不能作为编辑性修订发布，"
                           f"{advice}：" + "；".join(changed))


def release(number: str, version: str, kind: str, summary: str, effective: str | None = None,
            approver: str | None = None, today: dt.date | None = None, root: Path = ROOT,
            retroactive: bool = False, show=None) -> Revision:
    """`show` (a callable taking text) is handed the impact of the release before anything
    is written; the impact is recorded in the snapshot's header either way."""
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
    done = _rerun(entries, history, number, version, kind, summary, effective, rev_dir)
    if done:
        return done
    req = check_request(number, version, kind, summary, effective, approver, req_today, retroactive,
                        docs, history)
    revisions.remove_temp_files(rev_dir)   # left by a release killed mid-write: never read
    problems = [p for p in revisions.verify(rev_dir, today=req_today)
                if not p.startswith(f"revisions/{rel}：不是由发布命令登记的文件") and not p.startswith("calc/register.json 与")]
    if problems:
        raise ReleaseError("发布前校验未通过，未发布：\n" + "\n".join(problems))

    captured = render(root, (number, version, req.effective))
    body = captured_body(captured.texts[number])
    stated = captured.parameters.get(number, {})
    if history:
        last_header, last_body = revisions.snapshot_text(rev_dir / history[-1].file)
        if unchanged(last_body, body, history[-1], version, req.effective):
            raise ReleaseError(f"{number} 的正文与上一版（{history[-1].version}）相同，无需发布"
                               "（发布本身写入的版本号和生效日期不算改动）")
        check_kind(number, kind, history[-1], last_header, stated, rev_dir)

    from handbook import impact

    impact_record, impact_text = impact.for_release(root, number)
    if show is not None:
        show(impact_text)
    doc = docs[number]
    header = {"doc_no": number, "title": doc.title, "version": version, "released": req.released,
              "effective": req.effective, "kind": kind, "summary": req.summary, "approver": req.approver,
              **{k: doc.meta[k] for k in ("owner", "executing", "supervising", "review_cycle", "sources")},
              "parameters": stated, "impact": impact_record}
    path = rev_dir / rel
    revisions.write_atomic(path, "---\n" + yaml.safe_dump(header, allow_unicode=True, sort_keys=False)
                           + "---\n" + body)                                          # step 1
    revision = revisions.chained(Revision(number, version, req.released, req.effective, kind, req.summary,
                                          req.approver, rel, revisions.digest(path)), revisions.head(entries))
    entries = entries + [revision]
    revisions.save(entries, rev_dir)                                                  # step 2
    revisions.write_register(entries, rev_dir)                                        # step 3
    return revision
