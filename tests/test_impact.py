"""Impact before approval (issue 21): `python -m handbook impact` compares the working
tree's parameters and rules with what the last release of each document was made from (git)
and lists the decisions that flip, worked cases and combinations on and either side of
each changed limit; `release` shows it and records it in the snapshot; the version page
shows what was recorded, or says plainly it was not evaluated, in words only.

The expected flips are written from the clauses: FW-03 第七条 (A类: 迟到不超过分界, 含本数;
B类: 超过分界) and 第八条 (from the second lateness of a month, 20元 for A, 30元 for B);
XY-05 第十二条第（三）项 (逾期比例不超过上限, 含本数, passes)."""

import re
import subprocess
import sys

import pytest

from handbook import revisions
from tests.test_release import commit, copy_project, git, run

pytestmark = pytest.mark.cpython

BOUNDARY = re.compile(r"^(\[attendance\.class_boundary_minutes\]\n(?:(?!\[).*\n)*?)value = 30\n", re.M)
SHARE = re.compile(r"^(\[credit_check\.max_overdue_share\]\n(?:(?!\[).*\n)*?)value = 10\n", re.M)
# What must never reach a reader of a version page: calculator ids (credit-grade), check
# ids (r3), paths, file and module names.
LEAK = re.compile(r"[a-z]+-[a-z]+|\br\d+\b|[\w/]+\.(?:py|json|toml|md)\b|handbook/|tests/|calc/|"
                  r"\b(?:attendance|credit_check|credit_grade)\b")


@pytest.fixture
def project(tmp_path):
    """A copy of the handbook in a git repository of one commit (the releases recorded
    there, so what they were made from is that commit)."""
    copy_project(tmp_path)
    git(tmp_path, "init", "-q")
    (tmp_path / ".git" / "info" / "exclude").write_text("node_modules\nsite/\n__pycache__/\n", encoding="utf-8")
    commit(tmp_path, "初始")
    return tmp_path


def edit(project, rel, pattern, replacement):
    path = project / rel
    text = path.read_text(encoding="utf-8")
    changed, n = (pattern.subn(replacement, text) if isinstance(pattern, re.Pattern)
                  else (text.replace(pattern, replacement), text.count(pattern)))
    assert n == 1, (rel, pattern)
    path.write_text(changed, encoding="utf-8")


def impact(project, *documents):
    return run(project, "impact", *documents)


def flip_lines(out: str, case: str) -> list[str]:
    """The lines listing a flip of a worked case (案例“…”) or a combination (its words)."""
    return [line for line in out.splitlines() if line.startswith("  " + case)]


def test_a_parameter_change_lists_the_decisions_that_flip(project):
    """FW-03 第七条's boundary from 30 to 20 minutes: a 30-minute lateness, A before (不超过30,
    含本数), is B after (超过20); so is anything over 20 up to 30; 20 itself stays A and 31
    stays B, so neither is listed."""
    edit(project, "calc/policy.toml", BOUNDARY, r"\g<1>value = 20\n")
    proc = impact(project)
    assert proc.returncode == 1, proc.stderr       # 1: some decision flips
    out = proc.stdout
    assert "FW-03 第七条 A类与B类的分界：30分钟 → 20分钟" in out
    assert "计算规则：未改动" in out and "【迟到绩效扣减计算】" in out
    (line,) = flip_lines(out, "案例“迟到恰为30分钟属A类（不超过，含本数）”")
    # 1 + 30 minutes: the second lateness is fined, A (20元) before, B (30元) after.
    assert "：绩效扣减合计 20 元 → 绩效扣减合计 30 元" in line and "FW-03 第七条" in line
    assert not flip_lines(out, "案例“迟到31分钟属B类：30元”")
    assert not flip_lines(out, "案例“FW-03第八条的例子")     # 5, 40, 12: 12 is A either way
    # Combinations around the old and the new boundary, in words.
    for minutes in ("21、21", "29、29", "30、30"):
        (line,) = flip_lines(out, f"本月各次迟到的分钟数：{minutes}分钟，其余同案例“第二次迟到起扣减：A类20元”")
        assert "绩效扣减合计 20 元 → 绩效扣减合计 30 元" in line
    for minutes in ("19、19", "20、20", "31、31"):
        assert not flip_lines(out, f"本月各次迟到的分钟数：{minutes}分钟，"), minutes
    assert "attendance" not in out and "late_minutes" not in out


def test_a_limit_of_another_calculator_and_the_filter_by_document(project):
    """XY-05 第十二条第（三）项's overdue share from 10% to 5% (不超过, 含本数): 10% of the
    receivables passed and is now frozen; exactly 5% passes under both."""
    edit(project, "calc/policy.toml", SHARE, r"\g<1>value = 5\n")
    proc = impact(project, "XY-05")
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert "XY-05 第十二条第（三）项 逾期比例上限：不超过10% → 不超过5%" in out
    (line,) = flip_lines(out, "案例“逾期比例恰为10%：通过”")
    assert "：通过 → 冻结" in line and "XY-05 第十二条第（三）项" in line
    assert flip_lines(out, "逾期未清项金额：2500.01元，其余同案例“逾期比例恰为10%：通过”")   # just over 5%
    assert not flip_lines(out, "逾期未清项金额：2500元")                                  # exactly 5%
    assert not flip_lines(out, "逾期未清项金额：2499.99元")
    assert "【迟到绩效扣减计算】" not in out
    # Only FW-03: the change is XY-05's, nothing of FW-03 flips.
    other = impact(project, "FW-03")
    assert other.returncode == 0 and "无变化" in other.stdout and "逾期比例上限" not in other.stdout


def test_a_change_of_the_rules_alone_lists_what_flips(project):
    """The code changed, not a parameter: A becomes 'under' the boundary instead of 'not
    over' it (FW-03 第七条 says 不超过, which includes the number), so 30 minutes flips."""
    edit(project, "calc/attendance_fine.py", 'kind = "A" if minutes <= boundary else "B"',
         'kind = "A" if minutes < boundary else "B"')
    proc = impact(project, "FW-03")
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert "参数：未改变" in out and "计算规则：有改动（calc/ 中的 attendance_fine.py）" in out
    (line,) = flip_lines(out, "案例“迟到恰为30分钟属A类（不超过，含本数）”")
    assert "绩效扣减合计 20 元 → 绩效扣减合计 30 元" in line
    # Around every limit of the calculator, since its rules changed: 29 and 31 do not flip.
    assert flip_lines(out, "本月各次迟到的分钟数：30、30分钟")
    assert not flip_lines(out, "本月各次迟到的分钟数：29、29分钟") and not flip_lines(out, "本月各次迟到的分钟数：31、31分钟")


def test_no_change_says_so(project):
    proc = impact(project)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "无变化：参数和计算规则与现行版本相同，没有结论会改变"
    assert "参数：未改变" in proc.stdout and "计算规则：未改动" in proc.stdout


def test_without_git_history_it_cannot_compare(tmp_path):
    copy_project(tmp_path)
    proc = impact(tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("无法评估影响：") and "git" in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_an_uncommitted_release_is_named(project):
    edit(project, "docs/xinyong/XY-03.md", "制定本办法。", "制定本办法（试行）。")
    proc = run(project, "release", "XY-03", "--version", _next(project, "XY-03", minor=True), "--kind", "editorial",
               "--summary", "措辞")
    assert proc.returncode == 0, proc.stderr
    proc = impact(project)
    assert proc.returncode == 2 and "的发布尚未提交到 git" in proc.stderr and "XY-03 第" in proc.stderr


def _next(project, number, minor=False) -> str:
    last = revisions.load(project / "revisions")[number][-1].version
    major, low = map(int, last.split("."))
    return f"{major}.{low + 1}" if minor else f"{major + 1}.0"


def _page(project, number, version) -> str:
    """A version's page as the build writes it (handbook/revision_pages.py), in the project."""
    code = ("import sys; from pathlib import Path; from handbook import documents, revisions, revision_pages as rp; "
            "docs = documents.load_all(Path('docs')); m = revisions.load(); "
            f"out = rp.pages({{'{number}': docs['{number}']}}, {{'{number}': m['{number}']}}, revisions.REVISIONS_DIR); "
            f"sys.stdout.write(out[rp.revision_src(docs['{number}'], next(r for r in m['{number}'] if r.version == '{version}'))])")
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                          env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "HOME": str(project)})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _parameter_row(project, path: str) -> str:
    code = ("import sys; from pathlib import Path; from handbook import clauses, documents, parameter_pages as pp, "
            "revisions, tables; docs = documents.load_all(Path('docs')); "
            "l = tables.Linker(pp.SRC, {n: d.src_uri for n, d in docs.items()}, clauses.CitationRegister()); "
            "sys.stdout.write(pp.register(docs, revisions.load(), l))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                          env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "HOME": str(project)})
    assert proc.returncode == 0, proc.stderr
    return next(line for line in proc.stdout.splitlines() if f'data-parameter="{path}"' in line)


def _section_words(page: str) -> str:
    m = re.search(r'<section class="revision-impact".*?</section>', page, re.S)
    assert m, page[:500]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(0)))


def test_release_shows_the_impact_records_it_and_the_version_page_shows_it(project):
    edit(project, "calc/policy.toml", BOUNDARY, r"\g<1>value = 20\n")
    version = _next(project, "FW-03")
    proc = run(project, "release", "FW-03", "--version", version, "--kind", "substantive",
               "--summary", "A类与B类迟到的分界改为20分钟")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    shown = next(k for k, line in enumerate(lines) if "迟到恰为30分钟属A类" in line)
    assert lines[0].startswith("影响评估：") and shown < len(lines) - 1 and lines[-1].startswith("已发布 FW-03")
    header, _ = revisions.snapshot_text(project / "revisions" / "FW-03" / f"{version}.md")
    rec = header["impact"]
    assert rec["evaluated"] is True and rec["compared_with"] == [
        {"document": "FW-03", "version": revisions.load(project / "revisions")["FW-03"][-2].version}]
    assert rec["parameters"] == [{"path": "attendance.class_boundary_minutes", "label": "A类与B类的分界",
                                  "clause": "FW-03-7", "old": "30分钟", "new": "20分钟"}]
    flip = next(f for f in rec["flips"] if f["case"] == "案例“迟到恰为30分钟属A类（不超过，含本数）”")
    assert flip == {"calculator": "迟到绩效扣减计算", "case": flip["case"], "before": "绩效扣减合计 20 元",
                    "after": "绩效扣减合计 30 元", "clauses": flip["clauses"]} and flip["clauses"][0] == "FW-03-7"
    assert rec["flips_total"] == len(rec["flips"]) > 1 and revisions.verify(project / "revisions") == []
    commit(project, "发布 FW-03")

    page = _page(project, "FW-03", version)
    words = _section_words(page)
    assert "以第 3.0 版发布时的参数与计算规则对照本版" in words
    assert "A类与B类的分界 FW-03 第七条 30分钟 20分钟" in words
    assert f"其中 {rec['flips_total']} 个结论改变" in words
    assert "迟到绩效扣减计算 案例“迟到恰为30分钟属A类（不超过，含本数）” 绩效扣减合计 20 元 绩效扣减合计 30 元 FW-03 第七条" in words
    assert 'href="../FW-03/#FW-03-7"' in page
    # 参数一览 takes the value's history from the release's record: who set it and when.
    row = _parameter_row(project, "attendance.class_boundary_minutes")
    released = revisions.load(project / "revisions")["FW-03"][-1]
    assert (f"第 {version} 版之前：30分钟<br>第 {version} 版（{released.effective} 生效）：20分钟" in row
            and f"第 {version} 版的取值：{released.released} 发布，总经理批准" in row)
    # An older substantive version, released before impacts were recorded, says so plainly.
    old = _section_words(_page(project, "FW-03", "3.0"))
    assert "本版发布时尚未记录对决策的影响：未作影响评估" in old
    # A text-only revision says it changed only the text.
    edit(project, "docs/xinyong/XY-03.md", "制定本办法。", "制定本办法（试行）。")
    minor = _next(project, "XY-03", minor=True)
    assert run(project, "release", "XY-03", "--version", minor, "--kind", "editorial", "--summary", "措辞").returncode == 0
    assert "本次修订只改动文字，未作影响评估" in _section_words(_page(project, "XY-03", minor))
    for text in (page, _page(project, "FW-03", "3.0"), _page(project, "XY-03", minor)):
        body = re.sub(r"<[^>]+>", " ", text.split("render_macros: false\n---\n", 1)[1])
        body = re.sub(r"\{[^}\n]*#[A-Z]{2}-\d{2}[^}\n]*\}|\]\([^)]*\)", " ", body)   # anchors and link targets
        assert not LEAK.search(body), LEAK.search(body)


def test_a_release_without_git_records_that_it_was_not_evaluated(tmp_path):
    copy_project(tmp_path)
    edit(tmp_path, "docs/xinyong/XY-03.md", "制定本办法。", "制定本办法（试行）。")
    version = _next(tmp_path, "XY-03")
    proc = run(tmp_path, "release", "XY-03", "--version", version, "--kind", "substantive", "--summary", "试行")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("影响评估：未作（没有可读的 git 历史")
    header, _ = revisions.snapshot_text(tmp_path / "revisions" / "XY-03" / f"{version}.md")
    assert header["impact"]["evaluated"] is False and "git" in header["impact"]["reason"]
    assert "本版发布时未能作影响评估（没有可读的 git 历史" in _section_words(_page(tmp_path, "XY-03", version))


def test_every_limit_named_for_the_impact_exists():
    """handbook/data/limits.toml names parameters, calculators and inputs that exist, and
    a limit's input is a number (or a list of numbers) of that calculator."""
    from calc import parameters, registry
    from handbook import impact_cases, rule_parameters
    from tests.support import ROOT

    params = rule_parameters.flat(rule_parameters.resolved(parameters._source()))
    for spec in impact_cases.limits(ROOT):
        assert spec["parameter"] in params, spec
        assert isinstance(params[spec["parameter"]]["value"], (int, float)), spec
        schema = registry.get(spec["calculator"]).schema()
        prop = impact_cases.prop(schema, spec["field"])
        assert prop is not None, spec
        kinds = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
        item = prop.get("items", {}).get("type") if "array" in kinds else None
        assert {"number", "integer"} & set(kinds) or item in ("integer", "number"), spec
        if "share_of" in spec:
            assert impact_cases.prop(schema, spec["share_of"]) is not None, spec


def test_values_near_a_limit_are_exact():
    from decimal import Decimal

    from handbook.impact_cases import near

    assert near(Decimal("1"), integer=False) == [Decimal(0), Decimal("0.99"), Decimal(1), Decimal("1.01"), Decimal(2)]
    assert near(Decimal("49"), integer=True) == [Decimal(48), Decimal(49), Decimal(50)]
    assert near(Decimal("49.5"), integer=True) == [Decimal(48), Decimal(49), Decimal(50), Decimal(51)]
    assert near(Decimal("0"), integer=True) == [Decimal(0), Decimal(1)]


def test_answers_compare_by_their_codes_and_numbers():
    from handbook.impact import same

    assert same({"decision": "pass", "exposure": 10}, {"decision": "pass", "exposure": 10, "added": 1})
    assert not same({"decision": "pass"}, {"decision": "block"})
    assert same({"customers": [{"id": "a", "tier": "A"}, {"id": "b", "tier": "B"}]},
                {"customers": [{"id": "b", "tier": "B"}, {"id": "a", "tier": "A"}]})
    assert not same({"customers": [{"id": "a", "tier": "A"}]}, {"customers": [{"id": "a", "tier": "B"}]})
    assert not same({"ok": True}, {"ok": 1}) and same({"n": 1}, {"n": 1.0})
