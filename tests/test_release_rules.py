"""What the release command refuses and how it leaves things (reliability review N8, N10,
N11, N12, N19, N21, N22, N23): a rule-parameter change is never editorial, an unchanged
text is not released, only the document's approver approves, a broken macro is named with
its file and line, files get normal permissions, a killed release leaves nothing behind,
a summary has a limit, and a completed release run again says it is done."""

import datetime as dt
import os
import re
import subprocess
import sys

import pytest

from handbook import release as release_module
from handbook import revisions, rule_parameters
from handbook.release import ReleaseError
from tests.test_release import (LAST_XY03, NEXT_MAJOR, NEXT_MINOR, _fake_render, plain_project, project,  # noqa: F401
                                release, reword, run, state, xy03_parameters)

pytestmark = pytest.mark.cpython

NEXT_AFTER_MAJOR = f"{NEXT_MAJOR.split('.')[0]}.1"


def set_value(project, path: str, old, new) -> None:
    """Change a parameter's value in the copy's calc/policy.toml (no dated values)."""
    p = project / "calc" / "policy.toml"
    section, key = path.rsplit(".", 1)
    text = p.read_text(encoding="utf-8")
    text, n = re.subn(rf"(^\[{re.escape(section)}\.{re.escape(key)}\]\nvalue = ){old}$", rf"\g<1>{new}", text, flags=re.M)
    assert n == 1, path
    p.write_text(text, encoding="utf-8")


def header(project, version: str) -> dict:
    head, _ = revisions.snapshot_text(project / "revisions" / "XY-03" / f"{version}.md")
    return head


# --- N8: a change of rule parameters is substantive -----------------------------------------

def test_a_rule_parameter_of_the_document_changed_cannot_be_released_as_editorial(project):
    """The review's case: XY-03-4-1 raised from 1 to 3 years and released as 标点调整."""
    set_value(project, "credit_grade.min_cooperation_years", 1, 3)
    before = state(project)
    proc = release(project, "XY-03", NEXT_MINOR, "editorial", "标点调整")
    assert proc.returncode == 2, proc.stdout
    assert "不能作为编辑性修订发布" in proc.stderr and f"--kind substantive --version {NEXT_MAJOR}" in proc.stderr
    assert "credit_grade.min_cooperation_years：1年（以上） → 3年（以上）" in proc.stderr
    assert state(project) == before
    proc = release(project, "XY-03", NEXT_MAJOR, "substantive", "A级合作年限改为3年")
    assert proc.returncode == 0, proc.stderr
    recorded = header(project, NEXT_MAJOR)["parameters"]
    assert recorded["credit_grade.min_cooperation_years"] == {"value": 3, "unit": "年", "bound": "以上",
                                                              "clause": "XY-03-4-1"}
    # What the text prints from another document's clause is recorded too.
    assert recorded["credit_policy.survey_refresh_interval"]["clause"].startswith("XY-02-")
    assert "after_sales.onsite_fee_limit" not in recorded


def test_a_parameter_the_document_prints_from_another_document_counts_too(project):
    """XY-03 第十条 prints XY-02's survey refresh interval: changing it changes XY-03's rules."""
    set_value(project, "credit_policy.survey_refresh_interval", 3, 6)
    proc = release(project, "XY-03", NEXT_MINOR, "editorial", "措辞")
    assert proc.returncode == 2 and "credit_policy.survey_refresh_interval：3" in proc.stderr, proc.stderr


def test_a_parameter_the_document_neither_owns_nor_prints_leaves_an_editorial_release_editorial(project):
    set_value(project, "after_sales.onsite_fee_limit", 500, 600)   # FW-01 第十二条
    reword(project)
    proc = release(project, "XY-03", NEXT_MINOR, "editorial", "措辞")
    assert proc.returncode == 0, proc.stderr


def test_the_values_recorded_with_a_release_are_what_the_next_one_compares_with(plain_project, monkeypatch):
    """Outside git, the header of the last snapshot is the record of its values."""
    _fake_render(monkeypatch, "第一次改。")
    release_module.release("XY-03", NEXT_MAJOR, "substantive", "实质", root=plain_project)
    _fake_render(monkeypatch, "第二次改。", xy03_parameters(**{"credit_grade.lookback_years": 3}))
    with pytest.raises(ReleaseError, match=r"credit_grade\.lookback_years：2年 → 3年"):
        release_module.release("XY-03", NEXT_AFTER_MAJOR, "editorial", "措辞", root=plain_project)
    _fake_render(monkeypatch, "第二次改。")
    assert release_module.release("XY-03", NEXT_AFTER_MAJOR, "editorial", "措辞", root=plain_project).kind == "editorial"


def test_without_a_record_or_git_an_editorial_release_is_refused(plain_project, monkeypatch):
    """The released snapshots before this change record no values; outside git nothing says
    what they were, so the change cannot be ruled out."""
    _fake_render(monkeypatch, "改过的正文。")
    with pytest.raises(ReleaseError, match=f"无法确定 XY-03 上一版（{LAST_XY03.version}）发布时的规则参数"):
        release_module.release("XY-03", NEXT_MINOR, "editorial", "措辞", root=plain_project)
    assert release_module.release("XY-03", NEXT_MAJOR, "substantive", "措辞", root=plain_project).version == NEXT_MAJOR


def test_in_git_the_values_of_an_older_release_come_from_the_committed_parameter_file(project, monkeypatch):
    _fake_render(monkeypatch, "改过的正文。", xy03_parameters(**{"credit_grade.review_interval": 6}))
    with pytest.raises(ReleaseError, match=r"credit_grade\.review_interval：3个月 → 6个月"):
        release_module.release("XY-03", NEXT_MINOR, "editorial", "措辞", root=project)


def test_which_changes_count():
    own = {"value": 1, "unit": "年", "bound": "以上", "clause": "XY-03-4-1"}
    other = {"value": 3, "unit": "个月", "clause": "XY-02-17-1"}
    assert rule_parameters.changes("XY-03", {"a": own}, {"a": own}) == []
    assert rule_parameters.changes("XY-03", {"a": own}, {"a": {**own, "bound": "超过"}}) == ["a：1年（以上） → 1年（超过）"]
    assert rule_parameters.changes("XY-03", {"a": own}, {"a": {**own, "unit": "月"}}) == ["a：1年（以上） → 1月（以上）"]
    assert rule_parameters.changes("XY-03", {}, {"a": own}) == ["a：新增 1年（以上）"]
    assert rule_parameters.changes("XY-03", {"a": own}, {}) == ["a：1年（以上） → 删除"]
    # Another document's parameter the text starts or stops printing: the text shows it.
    assert rule_parameters.changes("XY-03", {}, {"b": other}) == []
    assert rule_parameters.changes("XY-03", {"b": other}, {}) == []
    assert rule_parameters.changes("XY-03", {"b": other}, {"b": {**other, "value": 6}}) == ["b：3个月 → 6个月"]


# --- N10: nothing to release --------------------------------------------------------------

def test_an_unchanged_text_is_not_released_although_the_effective_date_differs(project):
    """Only the 施行 clause's date differs when the release itself renders a new date."""
    before = state(project)
    proc = release(project, "XY-03", NEXT_MINOR, "editorial", "无变化", "--effective", "2099-01-01")
    assert proc.returncode == 2 and "相同，无需发布" in proc.stderr, proc.stdout
    assert state(project) == before


def test_only_the_lines_the_release_writes_are_ignored(project, monkeypatch):
    _, last_body = revisions.snapshot_text(revisions.REVISIONS_DIR / LAST_XY03.file)
    from handbook.pages import chinese_date

    old_day = dt.date.fromisoformat(LAST_XY03.effective)

    assert chinese_date(old_day) in last_body
    same = last_body.replace(chinese_date(old_day), "2099年1月1日").strip("\n")
    _fake_render(monkeypatch, same)
    with pytest.raises(ReleaseError, match="相同，无需发布"):
        release_module.release("XY-03", NEXT_MINOR, "editorial", "措辞", "2099-01-01", root=project)
    _fake_render(monkeypatch, same.replace("。", "；", 1))
    assert release_module.release("XY-03", NEXT_MINOR, "editorial", "措辞", "2099-01-01", root=project)


# --- N11: the approver -----------------------------------------------------------------------

@pytest.mark.parametrize("kind,version", [("substantive", NEXT_MAJOR), ("editorial", NEXT_MINOR)])
@pytest.mark.parametrize("approver", ["logistics", "finance"])
def test_only_the_documents_approver_approves(project, kind, version, approver):
    before = state(project)
    proc = release(project, "XY-03", version, kind, "修改", "--approver", approver)
    assert proc.returncode == 2 and "XY-03 的修订须由总经理（gm，见该文件前置信息 approver）批准" in proc.stderr, proc.stderr
    assert state(project) == before


def test_the_documents_approver_given_explicitly_is_accepted(project, monkeypatch):
    _fake_render(monkeypatch, "改过的正文。")
    r = release_module.release("XY-03", NEXT_MINOR, "editorial", "措辞", approver="gm", root=project)
    assert r.approver == "gm"


# --- N12: a failed render says why -----------------------------------------------------------

def test_a_broken_macro_is_named_with_its_file_and_line(project):
    path = project / "docs" / "xinyong" / "XY-03.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(lines) if 'param("credit_grade.' in line)
    lines[n] = lines[n].replace('param("credit_grade.', 'param("credit_grde.', 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    expected = f"docs/xinyong/XY-03.md 第 {n + 1} 行：宏展开失败：calc/policy.toml 中没有参数 credit_grde."
    proc = release(project, "XY-03", NEXT_MINOR, "editorial", "措辞")
    assert proc.returncode == 2 and "手册构建失败，无法发布：" in proc.stderr
    assert expected in proc.stderr and "Traceback" not in proc.stderr and "KeyError" not in proc.stderr, proc.stderr
    assert "prefix dict" not in proc.stderr and "Error" not in proc.stderr
    build = run(project, "build", "-q", "-d", str(project / "site"), module="mkdocs")
    assert build.returncode != 0 and expected in build.stderr, build.stderr


# --- N19: permissions ------------------------------------------------------------------------

@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o027, 0o640)])
def test_files_written_by_release_have_normal_permissions(project, monkeypatch, mask, mode):
    _fake_render(monkeypatch, "改过的正文。")
    old = os.umask(mask)
    try:
        release_module.release("XY-03", NEXT_MINOR, "editorial", "措辞", root=project)
    finally:
        os.umask(old)
    for path in (f"revisions/XY-03/{NEXT_MINOR}.md", "revisions/manifest.json", "calc/register.json"):
        assert (project / path).stat().st_mode & 0o777 == mode, path


# --- N22: a killed release -------------------------------------------------------------------

def test_a_release_renders_without_any_temporary_folder(project, tmp_path_factory):
    """The text is rendered in the release's own process (handbook/document_text.py): no
    build folder, so a release killed at any moment leaves nothing behind in the temp folder."""
    tmp = tmp_path_factory.mktemp("tmpdir")
    env = {"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "HOME": str(project), "TMPDIR": str(tmp),
           "NO_MKDOCS_2_WARNING": "1"}
    reword(project)
    done = subprocess.run([sys.executable, "-m", "handbook", "release", "XY-03", "--version", NEXT_MINOR,
                           "--kind", "editorial", "--summary", "措辞"], cwd=project, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert list(tmp.iterdir()) == []


# --- N23: summary length, a completed release run again --------------------------------------

def test_a_summary_has_a_maximum_length(project, monkeypatch):
    limit = release_module.MAX_SUMMARY
    proc = release(project, "XY-03", NEXT_MINOR, "editorial", "字" * (limit + 1))
    assert proc.returncode == 2 and f"变更摘要过长：最多 {limit} 个字符，收到 {limit + 1} 个" in proc.stderr
    _fake_render(monkeypatch, "改过的正文。")
    assert release_module.release("XY-03", NEXT_MINOR, "editorial", "字" * limit, root=project).summary == "字" * limit


def test_a_completed_release_run_again_says_it_is_done(project):
    reword(project)
    proc = release(project)
    assert proc.returncode == 0, proc.stderr
    before = state(project)
    again = release(project)
    assert again.returncode == 0, again.stderr
    assert f"XY-03 第 {NEXT_MINOR} 版已于" in again.stdout and "这条发布命令已经完成" in again.stdout
    assert state(project) == before
    other = release(project, "XY-03", NEXT_MINOR, "editorial", "另一个摘要")
    assert other.returncode == 2 and "版本号必须递增" in other.stderr and f"第 {NEXT_MINOR} 版已于" in other.stderr


# --- N21: the command line in Chinese --------------------------------------------------------

@pytest.mark.parametrize("args,words", [
    ((), "缺少参数：命令"),
    (("frobnicate",), "无效的选择 'frobnicate'"),
    (("release",), "缺少参数：文件编号, --version, --kind, --summary"),
    (("release", "XY-03", "--version"), "需要一个值"),
    (("verify", "--bogus"), "无法识别的参数：--bogus"),
])
def test_argument_errors_are_chinese(plain_project, args, words):
    proc = run(plain_project, *args)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("命令行参数错误：") and words in proc.stderr and proc.stderr.count("\n") == 1
    assert not re.search(r"usage|required|invalid choice|arguments|expected", proc.stderr), proc.stderr


def test_help_is_chinese(plain_project):
    proc = run(plain_project, "release", "--help")
    assert proc.returncode == 0 and proc.stdout.startswith("用法：python -m handbook release")
    assert "显示本帮助并退出" in proc.stdout and not re.search(r"usage|show this help|options:", proc.stdout)
