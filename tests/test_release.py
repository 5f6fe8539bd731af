"""Releasing: the command's refusals (nothing written), version bumps, atomic and
retryable writes, the hash chain and its verification; dated parameters and calculators
as of a date; the change impact of a parameter change; and, for the real handbook, that
the record verifies and every released document's text is the text of its last release."""

import datetime as dt
import json
import re
import shutil
import subprocess
import sys

import pytest

from handbook import document_text

from handbook import release as release_module
from handbook import revisions
from handbook.release import ReleaseError, captured_body, render_all
from tests.support import ROOT

pytestmark = pytest.mark.cpython

SOURCES = ("docs", "calc", "handbook", "hooks", "overrides", "revisions", "macros.py",
           "mkdocs.yml", "pyproject.toml")
LAST_XY03 = revisions.load()["XY-03"][-1]
NEXT_MINOR = f"{LAST_XY03.version.split('.')[0]}.{int(LAST_XY03.version.split('.')[1]) + 1}"
NEXT_MAJOR = f"{int(LAST_XY03.version.split('.')[0]) + 1}.0"


def copy_project(path):
    for name in SOURCES:
        src, dst = ROOT / name, path / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dst)
    (path / "node_modules").symlink_to(ROOT / "node_modules")
    return path


def git(path, *args) -> str:
    proc = subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=test@example.com", *args], cwd=path,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(path)})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def commit(path, message="提交") -> None:
    git(path, "add", "-A")
    git(path, "commit", "-q", "--allow-empty", "-m", message)


@pytest.fixture
def project(tmp_path):
    """A copy of the handbook with its released history, to release into: a git repository
    of one commit, as a clone is (verify reads the record's history from git)."""
    copy_project(tmp_path)
    git(tmp_path, "init", "-q")
    (tmp_path / ".git" / "info" / "exclude").write_text("node_modules\nsite/\n", encoding="utf-8")
    commit(tmp_path, "初始")
    return tmp_path


@pytest.fixture
def plain_project(tmp_path):
    """The same copy outside any git repository (an exported copy)."""
    return copy_project(tmp_path)


def run(project, *args, module="handbook", stdin=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=project, capture_output=True, text=True,
                          input=stdin, env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin",
                                            "NO_MKDOCS_2_WARNING": "1", "HOME": str(project)})


def release(project, doc="XY-03", version=NEXT_MINOR, kind="editorial", summary="措辞", *more):
    return run(project, "release", doc, "--version", version, "--kind", kind, "--summary", summary, *more)


def reword(project, path="docs/xinyong/XY-03.md", words="本办法的条文标题仅为阅读方便而设。"):
    """An editorial change: one more sentence at the end of the document."""
    p = project / path
    p.write_text(p.read_text(encoding="utf-8") + f"\n{words}\n", encoding="utf-8")


def state(project) -> dict:
    """Every file the release command may write, by content."""
    files = sorted((project / "revisions").rglob("*")) + [project / "calc" / "register.json"]
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in files if p.is_file()}


def manifest(project) -> dict:
    return json.loads((project / "revisions" / "manifest.json").read_text(encoding="utf-8"))


def write_manifest(project, data) -> None:
    (project / "revisions" / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=1),
                                                         encoding="utf-8")


def date_dated_value(project, version: str, value: int) -> None:
    """credit_grade.min_cooperation_years takes `value` from XY-03 `version` on."""
    p = project / "calc" / "policy.toml"
    text = p.read_text(encoding="utf-8")
    m = re.search(r"^\[credit_grade\.min_cooperation_years\]\n(?:(?!\[).*\n)*", text, re.M)
    entry = f'\n[[credit_grade.min_cooperation_years.values]]\nversion = "{version}"\nvalue = {value}\n\n'
    p.write_text(text[:m.end()].rstrip("\n") + "\n" + entry + text[m.end():], encoding="utf-8")


# --- releasing -------------------------------------------------------------------------

def test_release_appends_a_chained_entry_and_a_snapshot_without_tools(project):
    before = manifest(project)["revisions"]
    reword(project)
    proc = release(project)
    assert proc.returncode == 0, proc.stderr
    after = manifest(project)["revisions"]
    assert after[:-1] == before                       # history untouched
    new = revisions.Revision(**after[-1])
    assert (new.document, new.version, new.kind, new.summary, new.approver) == ("XY-03", NEXT_MINOR, "editorial", "措辞", "gm")
    assert new.previous == before[-1]["hash"] and new.hash == revisions.entry_hash(new)
    snapshot = project / "revisions" / "XY-03" / f"{NEXT_MINOR}.md"
    assert revisions.digest(snapshot) == new.sha256
    text = snapshot.read_text(encoding="utf-8")
    assert "{{" not in text and re.search(r"合作1年(或)?以上", text)  # macros expanded: the day's value
    # No calculator block and no note in its place: adding a calculator changes no snapshot.
    assert "handbook:calculator" not in text and "本条附有计算器" not in text and 'data-calculator' not in text
    register = json.loads((project / "calc" / "register.json").read_text(encoding="utf-8"))
    assert register["documents"]["XY-03"][-1]["version"] == NEXT_MINOR and register["head"] == new.hash
    assert run(project, "verify").returncode == 0
    # The version lives only in the record: the release edits no TOML or YAML (a parameter's
    # dated `values` name versions, but only people write them).
    assert (project / "calc/policy.toml").read_bytes() == (ROOT / "calc/policy.toml").read_bytes()
    assert "version" not in re.findall(r"^(\w+) *[=:]", (project / "docs/xinyong/XY-03.md").read_text(encoding="utf-8"), re.M)


def test_refuses_identical_text_non_increasing_version_empty_summary(project):
    proc = release(project, "XY-03", NEXT_MINOR, "editorial", "无变化")
    if proc.returncode == 0:   # the working text had unreleased edits: now it has none
        proc = release(project, "XY-03", f"{NEXT_MINOR.split('.')[0]}.{int(NEXT_MINOR.split('.')[1]) + 1}",
                       "editorial", "无变化")
    assert proc.returncode == 2 and "相同，无需发布" in proc.stderr
    reword(project)
    before = state(project)
    for version, words in ((LAST_XY03.version, "版本号必须递增"), ("0.9", "版本号必须递增")):
        proc = release(project, "XY-03", version, "editorial", "措辞")
        assert proc.returncode == 2 and words in proc.stderr
    proc = release(project, "XY-03", "99.1", "editorial", "  ")
    assert proc.returncode == 2 and "变更摘要不能为空" in proc.stderr
    assert state(project) == before


@pytest.mark.parametrize("args,words", [
    (("--version", "1.2\n"), "版本号应为"),
    (("--version", "１.２"), "版本号应为"),
    (("--version", "01.2"), "版本号应为"),
    (("--version", "1.1.1"), "版本号应为"),
    (("--version", "abc"), "版本号应为"),
    (("--version", "{minor}", "--effective", "20270101"), "生效日期应为 YYYY-MM-DD"),
    (("--version", "{minor}", "--effective", "2027-W01-1"), "生效日期应为 YYYY-MM-DD"),
    (("--version", "{minor}", "--effective", "2025-02-30"), "生效日期应为 YYYY-MM-DD"),
    (("--version", "{minor}", "--effective", "abc"), "生效日期应为 YYYY-MM-DD"),
    (("--version", "{minor}", "--effective", "2020-01-01"), "早于发布日期"),
    (("--version", "{minor}", "--effective", "2020-01-01", "--retroactive"), "早于上一版"),
    (("--version", "{minor}", "--approver", "nobody"), "名册中没有"),
    (("--version", "{minor}", "--kind", "major"), "变更类型应为"),
])
def test_bad_arguments_write_nothing_and_say_why_in_chinese(project, args, words):
    reword(project)
    before = state(project)
    args = tuple(a.replace("{minor}", NEXT_MINOR) for a in args)
    if "--kind" not in args:
        args += ("--kind", "editorial")
    proc = run(project, "release", "XY-03", *args, "--summary", "措辞")
    assert proc.returncode == 2, proc.stdout
    assert words in proc.stderr and "Traceback" not in proc.stderr
    assert state(project) == before


def test_substantive_bumps_major_editorial_bumps_minor(project):
    reword(project)
    proc = release(project, "XY-03", NEXT_MAJOR, "editorial", "措辞")
    assert proc.returncode == 2 and f"编辑性修订应升次版本（{LAST_XY03.version} → {NEXT_MINOR}）" in proc.stderr
    proc = release(project, "XY-03", NEXT_MINOR, "substantive", "措辞")
    assert proc.returncode == 2 and f"实质性修订应升主版本（{LAST_XY03.version} → {NEXT_MAJOR}）" in proc.stderr
    skip = f"{LAST_XY03.version.split('.')[0]}.{int(LAST_XY03.version.split('.')[1]) + 4}"
    proc = release(project, "XY-03", skip, "editorial", "措辞")
    assert proc.returncode == 2 and "编辑性修订应升次版本" in proc.stderr


def xy03_parameters(**changed) -> dict:
    """XY-03's rule parameters as the text stands (what the rendering reports), with
    some values changed."""
    from calc.parameters import policy
    from handbook import rule_parameters

    params = rule_parameters.of_document("XY-03", rule_parameters.flat(policy()), ["credit_policy.survey_refresh_interval"])
    return {path: ({**spec, "value": changed[path]} if path in changed else spec) for path, spec in params.items()}


def _fake_render(monkeypatch, body: str, parameters: dict | None = None):
    """The rendered text, without rendering: XY-03's text is `body`."""
    params = xy03_parameters() if parameters is None else parameters
    monkeypatch.setattr(release_module, "render", lambda root, pending=None: document_text.Capture(
        {"XY-03": f"---\ndoc_no: XY-03\n---\n# 标题\n\n{body}\n"}, {"XY-03": params}))


def test_effective_before_the_release_day_needs_retroactive(project, monkeypatch):
    from calc.parameters import today

    base = max(today(), dt.date.fromisoformat(LAST_XY03.effective))
    release_day, earlier = base + dt.timedelta(days=90), (base + dt.timedelta(days=60)).isoformat()
    _fake_render(monkeypatch, "改过的正文。")
    with pytest.raises(ReleaseError, match=f"早于发布日期 {release_day.isoformat()}"):
        release_module.release("XY-03", NEXT_MINOR, "editorial", "措辞", earlier, today=release_day, root=project)
    r = release_module.release("XY-03", NEXT_MINOR, "editorial", "措辞", earlier, today=release_day, root=project,
                               retroactive=True)
    assert (r.released, r.effective) == (release_day.isoformat(), earlier)


def test_the_default_effective_date_is_never_before_the_version_it_replaces(project, monkeypatch):
    from calc.parameters import today

    base = max(today(), dt.date.fromisoformat(LAST_XY03.effective))
    later = (base + dt.timedelta(days=60)).isoformat()
    _fake_render(monkeypatch, "改过的正文。")
    r = release_module.release("XY-03", NEXT_MINOR, "editorial", "措辞", later, today=base, root=project)
    assert (r.released, r.effective) == (base.isoformat(), later)
    # Without --effective: from the release day, but not before the version it replaces.
    _fake_render(monkeypatch, "再改一次。")
    r2 = release_module.release("XY-03", f"{NEXT_MINOR[:-1]}{int(NEXT_MINOR[-1]) + 1}", "editorial", "措辞",
                                today=base + dt.timedelta(days=30), root=project)
    assert r2.effective == later


@pytest.mark.parametrize("crash_at", [0, 1, 2])
def test_a_crash_anywhere_leaves_a_state_verify_names_and_a_retry_completes(project, monkeypatch, crash_at):
    """The release writes three files (snapshot, manifest, register), each by temp + rename;
    a crash before write n leaves the first n-1 written."""
    _fake_render(monkeypatch, "改过的正文。")
    before = state(project)
    real, calls = revisions.write_atomic, []

    def crashing(path, text):
        if len(calls) == crash_at:
            raise KeyboardInterrupt("killed")
        calls.append(path)
        real(path, text)

    monkeypatch.setattr(revisions, "write_atomic", crashing)
    with pytest.raises(KeyboardInterrupt):
        release_module.release("XY-03", NEXT_MINOR, "editorial", "措辞", root=project)
    monkeypatch.setattr(revisions, "write_atomic", real)
    problems = revisions.verify(project / "revisions")
    if crash_at == 0:
        assert state(project) == before and problems == []
    elif crash_at == 1:
        assert problems == [f"revisions/XY-03/{NEXT_MINOR}.md：不是由发布命令登记的文件（若是中断的发布留下的，"
                            "重新运行同一条发布命令即可；否则删除此文件）"]
    else:
        assert len(problems) == 1 and problems[0].startswith("calc/register.json 与 revisions/manifest.json 不一致")
        assert "重新运行同一条发布命令" in problems[0]
    assert not list((project / "revisions").rglob(".*.tmp")) and not list((project / "calc").glob(".*.tmp"))
    r = release_module.release("XY-03", NEXT_MINOR, "editorial", "措辞", root=project)
    assert r.version == NEXT_MINOR and revisions.verify(project / "revisions") == []
    assert [e.version for e in revisions.load(project / "revisions")["XY-03"]].count(NEXT_MINOR) == 1


def test_a_temporary_file_left_by_a_killed_write_is_named_and_cleared_on_retry(project, monkeypatch):
    _fake_render(monkeypatch, "改过的正文。")
    (project / "revisions" / ".manifest.json.k2j3.tmp").write_text('{"format": "hand', encoding="utf-8")
    assert revisions.verify(project / "revisions") == [
        "revisions/.manifest.json.k2j3.tmp：中断的写入留下的临时文件（重新运行同一条发布命令会清除它，也可直接删除）"]
    release_module.release("XY-03", NEXT_MINOR, "editorial", "措辞", root=project)
    assert revisions.verify(project / "revisions") == []


def test_release_needs_no_pyodide_runtime(project):
    (project / "node_modules").unlink()   # no npm packages at all
    reword(project)
    proc = release(project)
    assert proc.returncode == 0, proc.stderr


# --- the chain -------------------------------------------------------------------------

def _first_problem(project) -> str:
    proc = run(project, "verify")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr.splitlines()[0]


def test_chain_catches_an_edited_snapshot_with_its_new_hash(project):
    data = manifest(project)
    n, entry = next((n, e) for n, e in enumerate(data["revisions"], 1) if e["document"] == "XY-03")
    path = project / "revisions" / entry["file"]
    path.write_text(path.read_text(encoding="utf-8").replace("信用", "信誉", 1), encoding="utf-8")
    entry["sha256"] = revisions.digest(path)          # the forger updates the recorded hash too
    write_manifest(project, data)
    first = _first_problem(project)
    assert f"第 {n} 条记录（XY-03 {entry['version']}）：哈希链自此断开" in first


@pytest.mark.parametrize("field,value", [("effective", "2026-11-01"), ("summary", "改过"), ("approver", "finance"),
                                         ("released", "2026-11-27")])
def test_chain_catches_edited_metadata(project, field, value):
    data = manifest(project)
    data["revisions"][2][field] = value
    write_manifest(project, data)
    assert "第 3 条记录" in _first_problem(project) and "哈希链自此断开" in _first_problem(project)


def test_chain_catches_a_rehashed_entry_at_the_next_one(project):
    data = manifest(project)
    e = revisions.Revision(**data["revisions"][1])
    forged = revisions.Revision(**{**e.__dict__, "summary": "改过", "hash": ""})
    data["revisions"][1] = {**forged.__dict__, "hash": revisions.entry_hash(forged)}
    write_manifest(project, data)
    assert "第 3 条记录" in _first_problem(project) and "previous" in _first_problem(project)


def test_chain_catches_a_removed_entry(project):
    data = manifest(project)
    del data["revisions"][0]
    write_manifest(project, data)
    assert "第 1 条记录" in _first_problem(project)


@pytest.mark.parametrize("text,words", [
    ("", "是空文件"),
    ('{"format": "handbook-revisions/2", "revisions": [{"document": "FW', "不是完整的 JSON"),
    ('{"format": "handbook-revisions/2", "revisions": [], "extra": 1}', "不是可识别的发布记录"),
    ('[]', "不是可识别的发布记录"),
])
def test_a_broken_manifest_gets_a_chinese_message(project, text, words):
    (project / "revisions" / "manifest.json").write_text(text, encoding="utf-8")
    assert words in _first_problem(project)
    proc = release(project)
    assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr


def test_an_unknown_key_in_an_entry_is_named(project):
    data = manifest(project)
    data["revisions"][0]["note"] = "x"
    write_manifest(project, data)
    assert "第 1 条记录" in _first_problem(project) and "未知字段 note" in _first_problem(project)


@pytest.mark.parametrize("tamper,words", [
    (lambda d: (d / "XY-03" / "1.0.md").write_text("改过了", encoding="utf-8"), "revisions/XY-03/1.0.md：已发布的版本快照被改动"),
    (lambda d: (d / "XY-03" / "1.0.md").unlink(), "revisions/XY-03/1.0.md：已发布的版本快照被删除"),
    (lambda d: (d / "XY-03" / "0.9.md").write_text("x", encoding="utf-8"), "revisions/XY-03/0.9.md：不是由发布命令登记的文件"),
    (lambda d: (d / "manifest.json").unlink(), "manifest.json 缺失"),
    (lambda d: (d.parent / "calc" / "register.json").write_text("{}", encoding="utf-8"), "calc/register.json 与"),
])
def test_tamper_check_names_the_file(project, tamper, words):
    assert run(project, "verify").returncode == 0
    tamper(project / "revisions")
    assert words in _first_problem(project)


def test_the_build_refuses_a_broken_chain(project):
    data = manifest(project)
    data["revisions"][0]["summary"] = "改过"
    write_manifest(project, data)
    proc = run(project, "build", "-q", "-d", str(project / "site"), module="mkdocs")
    assert proc.returncode != 0 and "发布记录校验未通过" in proc.stderr and "第 1 条记录" in proc.stderr


# --- dated parameters, as_of, change impact -----------------------------------------------

GRADE_A = {"cooperation_years": 1, "defaults_2y": 0, "lawful_and_reliable": True, "good_operation_2y": True,
           "strong_solvency": True, "meets_annual_targets": True}


def grade(project, **extra) -> dict:
    proc = run(project, "credit-grade", module="calc", stdin=json.dumps({**GRADE_A, **extra}))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_parameter_change_with_a_later_effective_date(project):
    """XY-03-4-1 (合作一年以上, 含本数) raised to 2 years from a later day: the calculators
    apply 1 year up to the day before and 2 years from that day, each citing its version."""
    from calc.parameters import today

    later = max(today(), dt.date.fromisoformat(LAST_XY03.effective)) + dt.timedelta(days=40)
    eve, day = (later - dt.timedelta(days=1)).isoformat(), later.isoformat()
    date_dated_value(project, NEXT_MAJOR, 2)
    proc = release(project, "XY-03", NEXT_MAJOR, "substantive", "A级合作年限改为2年", "--effective", day)
    assert proc.returncode == 0, proc.stderr
    snapshot = (project / "revisions" / "XY-03" / f"{NEXT_MAJOR}.md").read_text(encoding="utf-8")
    assert re.search(r"合作2年(或)?以上", snapshot) and f"effective: '{day}'" in snapshot
    before, after = grade(project, as_of=eve), grade(project, as_of=day)
    assert before["grade"] == "A" and before["policy"]["version"] == LAST_XY03.version
    assert after["grade"] == "B" and after["policy"] == {"document": "XY-03", "title": "客户信用等级评定办法",
                                                         "version": NEXT_MAJOR, "effective": day, "as_of": day}
    assert grade(project, as_of=day, cooperation_years=2)["grade"] == "A"   # 2 years: 以上 includes 2
    # The change impact, recorded by the release and shown on its page: the flips, both
    # sides of the new limit (handbook/impact.py, tests/test_impact.py).
    code = ("from handbook import impact_section, revisions; revs = revisions.load()['XY-03']; "
            "header, _ = revisions.snapshot_text(revisions.REVISIONS_DIR / revs[-1].file); "
            "print(impact_section.section('XY-03', revs, len(revs) - 1, header))")
    html = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                          env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "HOME": str(project)})
    assert html.returncode == 0, html.stderr
    out = html.stdout
    assert re.search(r"<td>1年以上</td><td>2年以上</td>", out)
    flips = int(re.search(r'data-flips="(\d+)"', out)[1])
    assert flips > 0
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>", out)
    labels = [r[1] for r in rows]
    assert all((r[2], r[3]) == ("评为A级", "评为B级") for r in rows)
    # 1 to 1.99 years: A before (1年以上 includes 1), B after; 0.99 and 2 (2年以上 includes 2): no change.
    for years in ("1", "1.01", "1.99"):
        assert any(label.startswith(f"双方业务合作年限：{years}年，") for label in labels), years
    for years in ("0.99", "2", "2.01", "3"):
        assert not any(label.startswith(f"双方业务合作年限：{years}年，") for label in labels), years


def test_policy_toml_and_front_matter_hold_no_version():
    policy = (ROOT / "calc" / "policy.toml").read_text(encoding="utf-8")
    assert not re.search(r"^\[documents\.[^\]]+\]\n(?:[^\[\n].*\n)*?version *=", policy, re.M)
    for p in ROOT.glob("docs/*/[A-Z][A-Z]-[0-9][0-9].md"):
        front = p.read_text(encoding="utf-8").split("---\n")[1]
        assert not re.search(r"^(version|effective):", front, re.M), p


# --- the real handbook -------------------------------------------------------------------

def test_released_snapshots_of_the_handbook_are_intact():
    assert revisions.verify() == []


def test_the_calculators_register_is_derived_from_the_manifest():
    assert (ROOT / "calc" / "register.json").read_text(encoding="utf-8") == \
        revisions.register_text(revisions.entries())


def test_every_released_document_is_released_as_it_stands():
    """Every change to a released document's text goes through a release."""
    manifest = revisions.load()
    assert set(manifest) == {p.stem for p in ROOT.glob("docs/*/[A-Z][A-Z]-[0-9][0-9].md")}
    current = render_all(ROOT)
    stale = []
    for number, revs in manifest.items():
        _, body = revisions.snapshot_text(revisions.REVISIONS_DIR / revs[-1].file)
        if captured_body(current[number]) != body:
            stale.append(f"{number}（上次发布 {revs[-1].version}）")
    assert not stale, "正文已不同于最近一次发布，请用 python -m handbook release 发布新版本：" + "、".join(stale)
    assert any(len(revs) > 1 for revs in manifest.values())


def test_as_of_is_checked_and_named_in_chinese():
    from calc import registry
    from calc.errors import InputError

    for bad in ("2027-W01-1", "20270101", "2025-02-30"):
        with pytest.raises(InputError, match="适用日期"):
            registry.run("credit-grade", {**GRADE_A, "as_of": bad})


def test_before_the_first_effective_date_the_citation_says_none_is_in_force():
    from calc import parameters, registry

    first = min(r["effective"] for revs in parameters.register()["documents"].values() for r in revs)
    eve = (dt.date.fromisoformat(first) - dt.timedelta(days=1)).isoformat()
    cited = registry.run("credit-grade", {**GRADE_A, "as_of": eve})["policy"]
    assert cited["in_force"] is False and cited["as_of"] == eve and "尚无生效版本" in cited["note"]
    on_the_day = registry.run("credit-grade", {**GRADE_A, "as_of": first})["policy"]
    in_force = [r for r in revisions.load()["XY-03"] if r.effective <= first][-1]
    assert "in_force" not in on_the_day and on_the_day["version"] == in_force.version


def test_a_rebuild_rereads_the_parameters_before_the_pages_do(project):
    """`mkdocs serve` rebuilds in one process: the hook's on_config (first of all plugins)
    forgets the parameters read before, so page text and the wheel agree."""
    code = """
import re
from pathlib import Path
from mkdocs.config import load_config
from calc import parameters
from handbook import build
config = load_config("mkdocs.yml")
first = config.plugins.events["config"][0]
assert "handbook_hooks" in first.__module__, first.__module__
before = parameters.policy()["credit_grade"]["min_cooperation_years"]["value"]
p = Path("calc/policy.toml")
p.write_text(re.sub(r"(\\[credit_grade\\.min_cooperation_years\\]\\nvalue = )1", r"\\g<1>5", p.read_text()))
build.start(config)
print(before, parameters.policy()["credit_grade"]["min_cooperation_years"]["value"])
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                          env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "HOME": str(project),
                               "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1", "5"]
    watched = re.search(r"^watch:\n((?:  - .*\n)+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)[1]
    assert {"calc", "handbook", "revisions"} <= {w.strip()[2:] for w in watched.splitlines()}


def test_register_command_rewrites_the_calculators_register(project):
    (project / "calc" / "register.json").write_text("{}", encoding="utf-8")
    assert run(project, "verify").returncode == 1
    proc = run(project, "register")
    assert proc.returncode == 0, proc.stderr
    proc = run(project, "verify")
    assert proc.returncode == 0 and revisions.head(revisions.entries(project / "revisions")) in proc.stdout
