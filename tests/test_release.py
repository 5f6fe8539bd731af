"""Releasing: the command's refusals, version bumps, and the tamper check; and, for the
real handbook, that every released snapshot is intact and every released document's text
is the text of its last release."""

import shutil
import subprocess
import sys

import pytest

from handbook import revisions
from handbook.release import captured_body, render_all
from tests.support import ROOT

SOURCES = ("docs", "calc", "handbook", "hooks", "overrides", "macros.py", "mkdocs.yml", "pyproject.toml")


@pytest.fixture
def project(tmp_path):
    """A copy of the handbook with no releases yet, to release into."""
    for name in SOURCES:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    return tmp_path


def handbook(project, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "handbook", *args], cwd=project, capture_output=True,
                          text=True, env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin",
                                          "NO_MKDOCS_2_WARNING": "1", "HOME": str(project)})


def release(project, doc="XY-03", version="1.0", kind="substantive", summary="首次发布", *more):
    return handbook(project, "release", doc, "--version", version, "--kind", kind, "--summary", summary, *more)


def edit(project, old, new, path="docs/xinyong/XY-03.md"):
    p = project / path
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def reword(project, path="docs/xinyong/XY-03.md"):
    """An editorial change: one more sentence at the end of the last article."""
    p = project / path
    p.write_text(p.read_text(encoding="utf-8") + "\n本办法的条文标题仅为阅读方便而设。\n", encoding="utf-8")


def test_release_stores_snapshot_hash_and_log(project):
    proc = release(project)
    assert proc.returncode == 0, proc.stderr
    log = revisions.load(project / "revisions")["XY-03"]
    assert [(r.version, r.kind, r.summary, r.approver) for r in log] == [("1.0", "substantive", "首次发布", "gm")]
    snapshot = project / "revisions" / "XY-03" / "1.0.md"
    assert revisions.digest(snapshot) == log[0].sha256
    text = snapshot.read_text(encoding="utf-8")
    # Macros expanded: the parameter's value of the day, not the macro.
    assert "双方业务合作1年或以上" in text and "{{" not in text
    assert "calculator" not in text and "本条附有计算器" in text


def test_refuses_identical_text_non_increasing_version_empty_summary(project):
    assert release(project).returncode == 0
    proc = release(project, version="1.1", kind="editorial", summary="无变化")
    assert proc.returncode == 2 and "与上一版（1.0）相同" in proc.stderr
    reword(project)
    proc = release(project, version="1.0", kind="editorial", summary="措辞")
    assert proc.returncode == 2 and "版本号必须递增" in proc.stderr
    proc = release(project, version="0.9", kind="editorial", summary="措辞")
    assert proc.returncode == 2 and "版本号必须递增" in proc.stderr
    proc = release(project, version="1.1", kind="editorial", summary="  ")
    assert proc.returncode == 2 and "变更摘要不能为空" in proc.stderr
    assert len(revisions.load(project / "revisions")["XY-03"]) == 1  # nothing written by refusals


def test_substantive_bumps_major_editorial_bumps_minor(project):
    assert release(project).returncode == 0
    reword(project)
    proc = release(project, version="2.0", kind="editorial", summary="措辞")
    assert proc.returncode == 2 and "编辑性修订应升次版本（1.0 → 1.1）" in proc.stderr
    proc = release(project, version="1.1", kind="substantive", summary="措辞")
    assert proc.returncode == 2 and "实质性修订应升主版本（1.0 → 2.0）" in proc.stderr
    assert release(project, "XY-03", "1.1", "editorial", "第一条措辞").returncode == 0
    policy = (project / "calc" / "policy.toml").read_text(encoding="utf-8")
    assert '[documents.XY-03]\ntitle = "客户信用等级评定办法"\nversion = "1.1"' in policy


def test_a_parameter_change_is_a_release_and_shows_in_the_snapshot(project):
    assert release(project).returncode == 0
    edit(project, "[credit_grade.min_cooperation_years]\nvalue = 1", "[credit_grade.min_cooperation_years]\nvalue = 2",
         "calc/policy.toml")
    proc = release(project, "XY-03", "2.0", "substantive", "A级合作年限改为2年", "--effective", "2027-01-01")
    assert proc.returncode == 0, proc.stderr
    assert "双方业务合作2年或以上" in (project / "revisions" / "XY-03" / "2.0.md").read_text(encoding="utf-8")
    assert "effective: 2027-01-01" in (project / "docs" / "xinyong" / "XY-03.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("tamper,words", [
    (lambda d: (d / "XY-03" / "1.0.md").write_text("改过了", encoding="utf-8"), "revisions/XY-03/1.0.md：已发布的版本快照被改动"),
    (lambda d: (d / "XY-03" / "1.0.md").unlink(), "revisions/XY-03/1.0.md：已发布的版本快照被删除"),
    (lambda d: (d / "XY-03" / "0.9.md").write_text("x", encoding="utf-8"), "revisions/XY-03/0.9.md：不是由发布命令登记的文件"),
])
def test_tamper_check_names_the_file(project, tamper, words):
    assert release(project).returncode == 0
    assert handbook(project, "verify").returncode == 0
    tamper(project / "revisions")
    proc = handbook(project, "verify")
    assert proc.returncode == 1 and words in proc.stderr


def test_released_snapshots_of_the_handbook_are_intact():
    assert revisions.verify() == []


def test_every_released_document_is_released_as_it_stands():
    """Every change to a released document's text goes through a release."""
    manifest = revisions.load()
    assert set(manifest) == {p.stem for p in ROOT.glob("docs/*/[A-Z][A-Z]-[0-9][0-9].md")}
    current = render_all(ROOT)
    for number, revs in manifest.items():
        _, body = revisions.snapshot_text(revisions.REVISIONS_DIR / revs[-1].file)
        assert captured_body(current[number]) == body, (
            f"{number} 的正文已不同于最近一次发布（{revs[-1].version}）：请用 python -m handbook release 发布新版本")
    assert any(len(revs) > 1 for revs in manifest.values())
