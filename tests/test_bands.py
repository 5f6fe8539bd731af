"""The band check of the decision tables (handbook/bands.py): bounds read as Chinese legal
usage (以上、以下、以内、不超过 include the number; 超过、不满、低于 exclude it), checked on
both sides of every boundary; and the build of a copy of the handbook stops when a band
of calc/policy.toml is edited into a gap or an overlap, naming the table and the values."""

import re

import pytest

from handbook.bands import Band, BandError, BandSet, Edge, check, problems, stated
from tests.test_release import copy_project, run

cpython = pytest.mark.cpython   # the checker itself; the builds below are build tests (no layer marker)


def two(lower_word: str, upper_word: str, lower_at=30, upper_at=30, whole=False) -> list[str]:
    """Two bands meeting at a boundary: 'below' up to upper_at, 'above' from lower_at."""
    below = Band("甲", high=Edge(upper_at, upper_word, "分"))
    above = Band("乙", low=Edge(lower_at, lower_word, "分"))
    return problems(BandSet("表", "数量", [below, above], whole=whole))


# --- both sides of a boundary ------------------------------------------------------------

@cpython
@pytest.mark.parametrize("upper, lower", [("不超过", "超过"), ("以下", "超过"), ("以内", "超过"),
                                          ("不满", "以上"), ("低于", "以上")])
def test_an_inclusive_and_an_exclusive_bound_at_one_value_touch_without_gap(upper, lower):
    assert two(lower, upper) == []


@cpython
@pytest.mark.parametrize("upper, lower", [("不超过", "以上"), ("以下", "以上"), ("以内", "以上")])
def test_two_inclusive_bounds_at_one_value_overlap_in_that_value(upper, lower):
    below = "不超过30分" if upper == "不超过" else f"30分{upper}"
    assert two(lower, upper) == [f"决策表“表”：甲（{below}）与乙（30分以上）重叠：30分"]


@cpython
@pytest.mark.parametrize("upper, lower", [("不满", "超过"), ("低于", "超过")])
def test_two_exclusive_bounds_at_one_value_leave_that_value_out(upper, lower):
    assert two(lower, upper) == [f"决策表“表”：甲（{upper}30分）与乙（超过30分）之间有空缺：30分没有对应的行"]


@cpython
def test_apart_by_one_the_bands_leave_a_gap_and_overlapping_by_one_they_overlap():
    assert two("超过", "不超过", lower_at=31) == ["决策表“表”：甲（不超过30分）与乙（超过31分）之间有空缺：30–31分没有对应的行"]
    assert two("以上", "不超过", lower_at=29) == ["决策表“表”：甲（不超过30分）与乙（29分以上）重叠：29–30分"]
    assert two("以上", "不超过", lower_at=31) == ["决策表“表”：甲（不超过30分）与乙（31分以上）之间有空缺：30–31分没有对应的行"]


@cpython
def test_a_count_has_no_value_between_consecutive_whole_numbers():
    """不超过30 and 31以上 leave nothing out when only whole numbers occur; 32以上 leaves 31."""
    assert two("以上", "不超过", lower_at=31, whole=True) == []
    assert two("以上", "不超过", lower_at=32, whole=True) == ["决策表“表”：甲（不超过30分）与乙（32分以上）之间有空缺：31分没有对应的行"]
    assert two("以上", "不超过", lower_at=30, whole=True) == ["决策表“表”：甲（不超过30分）与乙（30分以上）重叠：30分"]
    assert two("超过", "不超过", whole=True) == []


@cpython
def test_the_lateness_bands_of_the_issue_overlap_by_the_minutes_named():
    """The boundary of A raised above the absence standard: A (不超过130) overlaps 旷工
    (120以上) in 120 to 130 minutes, and B has no minute left."""
    a = Band("A类迟到", high=Edge(130, "不超过", "分钟"))
    b = Band("B类迟到", low=Edge(130, "超过", "分钟"), high=Edge(120, "不满", "分钟"))
    absent = Band("按旷工处理", low=Edge(120, "以上", "分钟"))
    found = problems(BandSet("迟到的分类", "迟到时间", [a, b, absent], low=Edge(0, "超过", "分钟"), whole=True))
    assert "决策表“迟到的分类”：A类迟到（不超过130分钟）与按旷工处理（120分钟以上）重叠：120–130分钟" in found
    assert "决策表“迟到的分类”：B类迟到（超过130分钟、不满120分钟）没有适用的值" in found


@cpython
def test_the_range_is_covered_from_end_to_end_and_not_exceeded():
    scope = dict(low=Edge(0, "超过", "%"), high=Edge(100, "以内", "%"))
    bands = [Band("A", high=Edge(20, "以内", "%")), Band("B", low=Edge(20, "超过", "%"), high=Edge(95, "以内", "%"))]
    assert problems(BandSet("分级比例", "排位", bands, **scope)) == [
        "决策表“分级比例”：B（超过20%、95%以内）之后有空缺：95–100%没有对应的行"]
    bands[1] = Band("B", low=Edge(20, "超过", "%"), high=Edge(105, "以内", "%"))
    assert problems(BandSet("分级比例", "排位", bands, **scope)) == [
        "决策表“分级比例”：B（超过20%、105%以内）超出排位的范围（超过0%、100%以内）：100–105%"]
    bands[1] = Band("B", low=Edge(20, "超过", "%"), high=Edge(100, "以内", "%"))
    assert problems(BandSet("分级比例", "排位", bands, **scope)) == []


@cpython
def test_bands_that_need_not_fill_the_range_are_still_checked_for_overlap():
    units = Band("各业务单位", high=Edge(6, "以前", "日"))
    service = Band("客服部", low=Edge(6, "超过", "日"), high=Edge(8, "以前", "日"))
    scope = dict(low=Edge(1, "以上", "日"), high=Edge(28, "以下", "日"), whole=True, covers=False)
    assert problems(BandSet("报送期限", "次月的期限日", [units, service], **scope)) == []
    service = Band("客服部", low=Edge(6, "超过", "日"), high=Edge(5, "以前", "日"))
    assert problems(BandSet("报送期限", "次月的期限日", [units, service], **scope)) == [
        "决策表“报送期限”：客服部（超过6日、5日以前）没有适用的值"]


@cpython
@pytest.mark.parametrize("edge, side, words", [
    (Edge(30, "左右", "分"), "high", "界限用语“左右”不是"),
    (Edge(30, "以上", "分"), "high", "“以上”不能作上限"),
    (Edge(30, "以下", "分"), "low", "“以下”不能作下限"),
])
def test_an_unknown_or_misplaced_bound_word_is_itself_an_error(edge, side, words):
    band = Band("甲", **{side: edge})
    found = problems(BandSet("表", "数量", [band]))
    assert len(found) == 1 and words in found[0] and found[0].startswith("决策表“表”：甲的")


@cpython
def test_the_other_side_of_a_bound_reads_the_same_way():
    assert Edge(1, "以上", "年").other_side().text() == "不满1年"
    assert Edge(10, "以上", "%").other_side("低于").text() == "低于10%"
    assert Edge(30, "不超过", "天").other_side().text() == "超过30天"
    with pytest.raises(BandError):
        Edge(10, "以上", "%").other_side("超过")   # 超过 starts a band, 以上's other side ends one


@cpython
def test_the_bound_word_is_read_from_the_clause_text():
    assert stated("A类迟到：迟到时间不超过{class_boundary_minutes}", "class_boundary_minutes") == "不超过"
    assert stated("双方业务合作{min_cooperation_years}以上", "min_cooperation_years") == "以上"
    with pytest.raises(BandError, match="没有写明"):
        stated("迟到时间约{class_boundary_minutes}", "class_boundary_minutes")


@cpython
def test_check_raises_one_chinese_message_with_every_problem():
    bad = BandSet("表", "数量", [Band("甲", high=Edge(30, "以下")), Band("乙", low=Edge(30, "以上"))])
    with pytest.raises(BandError) as e:
        check([bad, bad])
    lines = str(e.value).splitlines()
    assert "calc/policy.toml" in lines[0] and lines[1:] == ["决策表“表”：甲（30以下）与乙（30以上）重叠：30"] * 2


@cpython
def test_the_handbooks_bands_have_no_gap_or_overlap():
    from calc.parameters import policy
    from handbook import decisions

    sets = decisions.band_sets(policy())
    assert {s.table for s in sets} >= {"迟到的分类", "信用销售占比", "信用期限的范围", "信用期限", "分级比例", "付款方式", "报送期限"}
    assert [p for s in sets for p in problems(s)] == []


# --- the build --------------------------------------------------------------------------

def _edit(project, section: str, value: str) -> None:
    p = project / "calc" / "policy.toml"
    text = p.read_text(encoding="utf-8")
    new, n = re.subn(rf"(^\[{re.escape(section)}\]\n(?:(?!\[).*\n)*?value = )[^\n]+", rf"\g<1>{value}", text, flags=re.M)
    assert n == 1, section
    p.write_text(new, encoding="utf-8")


def _build(project):
    """`mkdocs build` in the copy, reading the copy's calc/ and handbook/."""
    return run(project, "build", "-q", "-d", str(project / "site"), module="mkdocs")


@pytest.mark.build
@pytest.mark.parametrize("section, value, words", [
    ("attendance.class_boundary_minutes", "130",
     ["决策表“迟到的分类”", "A类迟到（不超过130分钟）与按旷工处理（120分钟以上）重叠：120–130分钟"]),
    ("credit_kpi.credit_sales_share_min", "25",
     ["决策表“信用销售占比”", "低于下限（低于25%）与超过上限（超过20%）重叠：20–25%"]),
    ("tiering.split.C", "35", ["决策表“分级比例”", "之后有空缺：95–100%没有对应的行"]),
])
def test_a_band_edited_into_an_overlap_or_a_gap_stops_the_build(tmp_path, section, value, words):
    project = copy_project(tmp_path)
    _edit(project, section, value)
    proc = _build(project)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    for w in words:
        assert w in out, out[-3000:]
    assert not (project / "site" / "index.html").exists()


@pytest.mark.build
def test_the_unedited_copy_builds(tmp_path):
    """Control for the failures above: the same copy, unedited, builds."""
    project = copy_project(tmp_path)
    proc = _build(project)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert 'data-decision-table="attendance-fine"' in (project / "site" / "fuwu" / "FW-03" / "index.html").read_text(
        encoding="utf-8")
