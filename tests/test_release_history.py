"""The record's anchor is its git history (reliability review N4): a chain recomputed after
editing, reordering or deleting old records passes the chain check, but not `verify`,
because every committed manifest must extend the one before it by appending only, and the
working tree's must extend HEAD's. Each test builds a throw-away repository."""

import json
import shutil
import subprocess
import sys

import pytest

from handbook import history, revisions
from tests.support import ROOT
from tests.test_release import NEXT_MAJOR, commit, git, manifest, plain_project, project, run  # noqa: F401
from tests.test_release_files import rechain

pytestmark = pytest.mark.cpython


@pytest.fixture
def repo(project):
    """The copy as a repository of one commit (the fixture's)."""
    assert run(project, "verify").returncode == 0
    return project


def problems(path, words: str) -> str:
    proc = run(path, "verify")
    assert proc.returncode == 1, proc.stdout
    assert "Traceback" not in proc.stderr
    assert words in proc.stderr, proc.stderr
    return proc.stderr


def chain_holds(path) -> None:
    """What the forger achieves: the chain and the snapshots alone verify."""
    assert revisions.verify(path / "revisions", history=False) == []


def index_of(path, document, version) -> int:
    return next(n for n, e in enumerate(manifest(path)["revisions"], 1)
                if (e["document"], e["version"]) == (document, version))


def edit_snapshot(path) -> None:
    snap = path / "revisions" / "XY-03" / "1.0.md"
    snap.write_text(snap.read_text(encoding="utf-8").replace("信用", "信誉", 1), encoding="utf-8")
    rechain(path)


def test_an_edited_snapshot_with_the_chain_recomputed_is_caught_uncommitted_and_committed(repo):
    n = index_of(repo, "XY-03", "1.0")
    edit_snapshot(repo)
    chain_holds(repo)
    problems(repo, f"与最近一次提交（")
    problems(repo, f"第 {n} 条记录（XY-03 1.0）被改动或移动")
    commit(repo, "改写 XY-03 1.0")
    out = problems(repo, f"revisions/manifest.json：提交 ")
    assert f"改写 XY-03 1.0）中，第 {n} 条记录（XY-03 1.0）被改动或移动" in out


def test_an_edited_snapshot_front_matter_recomputed_is_caught(repo):
    snap = repo / "revisions" / "XY-03" / "1.0.md"
    snap.write_text(snap.read_text(encoding="utf-8").replace("version: '1.0'", "version: '1.5'"), encoding="utf-8")
    rechain(repo)
    chain_holds(repo)
    problems(repo, "（XY-03 1.0）被改动或移动")


@pytest.mark.parametrize("field,value", [("effective", "2026-11-15"), ("summary", "改过的摘要")])
def test_edited_metadata_recomputed_is_caught(repo, field, value):
    def edit(entries):
        entries[2][field] = value
        return entries
    rechain(repo, edit)
    chain_holds(repo)
    problems(repo, f"第 3 条记录（{manifest(repo)['revisions'][2]['document']} 1.0）被改动或移动")


def test_two_records_swapped_and_recomputed_are_caught(repo):
    def edit(entries):
        entries[3], entries[4] = entries[4], entries[3]
        return entries
    first = manifest(repo)["revisions"][3]
    rechain(repo, edit)
    chain_holds(repo)
    problems(repo, f"第 4 条记录（{first['document']} {first['version']}）被改动或移动")


def test_the_last_release_deleted_and_the_register_regenerated_is_caught(repo):
    last = manifest(repo)["revisions"][-1]
    n = len(manifest(repo)["revisions"])
    (repo / "revisions" / last["file"]).unlink()
    rechain(repo, lambda entries: entries[:-1])
    assert run(repo, "register").returncode == 0
    chain_holds(repo)
    problems(repo, f"第 {n} 条记录（{last['document']} {last['version']}）被删除")
    commit(repo, "删去最后一次发布")
    problems(repo, f"删去最后一次发布）中，第 {n} 条记录（{last['document']} {last['version']}）被删除")


def test_a_middle_release_deleted_and_recomputed_is_caught(repo):
    n = index_of(repo, "XY-03", "1.1")
    (repo / "revisions" / "XY-03" / "1.1.md").unlink()
    rechain(repo, lambda entries: [e for e in entries if (e["document"], e["version"]) != ("XY-03", "1.1")])
    chain_holds(repo)
    problems(repo, f"第 {n} 条记录（XY-03 1.1）被删除")


def test_an_emptied_record_is_caught(repo):
    for folder in (repo / "revisions").iterdir():
        if folder.is_dir():
            shutil.rmtree(folder)
    rechain(repo, lambda entries: [])
    chain_holds(repo)
    problems(repo, "第 1 条记录（FW-01 1.0）被删除")


def test_a_deleted_then_rewritten_manifest_in_history_is_caught(repo):
    original = (repo / "revisions" / "manifest.json").read_text(encoding="utf-8")
    (repo / "revisions" / "manifest.json").unlink()
    commit(repo, "删除记录")
    (repo / "revisions" / "manifest.json").write_text(original, encoding="utf-8")
    edit_snapshot(repo)
    commit(repo, "重写记录")
    problems(repo, "重写记录）中，第 ")


def test_appending_a_release_passes_before_and_after_commit(repo):
    entries = revisions.entries(repo / "revisions")
    last = [r for r in entries if r.document == "XY-03"][-1]
    major, minor = map(int, last.version.split("."))
    version = f"{major}.{minor + 1}"
    snap = repo / "revisions" / "XY-03" / f"{version}.md"
    snap.write_text((repo / "revisions" / last.file).read_text(encoding="utf-8") + "\n新的一句。\n", encoding="utf-8")
    new = revisions.chained(revisions.Revision("XY-03", version, last.released, last.effective, "editorial", "措辞",
                                               "gm", f"XY-03/{version}.md", revisions.digest(snap)),
                            revisions.head(entries))
    revisions.save(entries + [new], repo / "revisions")
    revisions.write_register(entries + [new], repo / "revisions")
    proc = run(repo, "verify")
    assert proc.returncode == 0, proc.stderr
    commit(repo, "发布")
    proc = run(repo, "verify")
    assert proc.returncode == 0, proc.stderr
    assert "已核对 git 历史：2 个提交中的发布记录都只以追加方式增长" in proc.stdout


def _legacy(entries) -> str:
    """The manifest's first format: each document's releases, no chain."""
    out = {}
    for e in entries:
        out.setdefault(e["document"], []).append({k: v for k, v in e.items() if k not in ("previous", "hash")})
    return json.dumps(out, ensure_ascii=False, indent=1)


def test_a_record_converted_from_the_first_format_must_keep_every_release(plain_project):
    """The real history went from one list per document to the chain (commit b10ec82)."""
    project = plain_project
    git(project, "init", "-q")
    (project / ".git" / "info" / "exclude").write_text("node_modules\n", encoding="utf-8")
    current = (project / "revisions" / "manifest.json").read_text(encoding="utf-8")
    entries = json.loads(current)["revisions"]
    (project / "revisions" / "manifest.json").write_text(_legacy(entries[:20]), encoding="utf-8")
    commit(project, "旧格式")
    (project / "revisions" / "manifest.json").write_text(current, encoding="utf-8")
    commit(project, "哈希链")
    proc = run(project, "verify")
    assert proc.returncode == 0, proc.stderr
    # The conversion may not drop or change a release of the first format.
    git(project, "reset", "-q", "--hard", "HEAD~1")
    (project / "revisions" / "manifest.json").write_text(current, encoding="utf-8")
    dropped = entries[2]
    (project / "revisions" / dropped["file"]).unlink()
    rechain(project, lambda es: [e for e in es if e["file"] != dropped["file"]])
    commit(project, "转换时丢了一版")
    problems(project, f"转换时丢了一版）中，{dropped['document']} 的第 1 个版本（{dropped['document']} 1.0）被删除")


def test_the_real_history_was_only_appended_to():
    """This repository: every committed manifest since the first, including the change of format."""
    result = history.check(revisions.REVISIONS_DIR)
    assert result.problems == []
    if result.note.startswith("已核对"):
        assert int(result.note.split("：")[1].split(" ")[0]) >= 3


# --- where the history cannot be read --------------------------------------------------------

def test_outside_a_git_repository_verify_passes_and_says_the_history_was_not_checked(plain_project):
    proc = run(plain_project, "verify")
    assert proc.returncode == 0, proc.stderr
    assert "不在 git 版本库中：未核对发布记录的 git 历史" in proc.stdout


def test_a_shallow_clone_is_refused_with_the_fix(repo, tmp_path):
    commit(repo, "第二个提交")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    (clone / "node_modules").symlink_to(ROOT / "node_modules")
    out = problems(clone, "浅克隆")
    assert "git fetch --unshallow" in out


def test_a_full_clone_verifies(repo, tmp_path):
    clone = tmp_path / "full"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    proc = run(clone, "verify")
    assert proc.returncode == 0, proc.stderr
    assert "已核对 git 历史" in proc.stdout


def test_a_repository_without_the_git_command_is_refused(repo, tmp_path):
    bin_dir = tmp_path / "bin"        # a PATH with no git on it
    bin_dir.mkdir()
    proc = subprocess.run([sys.executable, "-m", "handbook", "verify"], cwd=repo, capture_output=True, text=True,
                          env={"PYTHONPATH": str(repo), "PATH": str(bin_dir), "HOME": str(repo)})
    assert proc.returncode == 1 and "找不到 git 命令" in proc.stderr, proc.stderr


def test_the_release_command_refuses_on_a_rewritten_record(repo):
    edit_snapshot(repo)
    proc = run(repo, "release", "XY-03", "--version", NEXT_MAJOR, "--kind", "substantive", "--summary", "x")
    assert proc.returncode == 2 and "被改动或移动" in proc.stderr
