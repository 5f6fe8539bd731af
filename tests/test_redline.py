"""The clause-by-clause comparison on hand-made pairs of revisions."""

import re

import pytest

from calc.redline import compare, render
from handbook import articles

LONG = ("客户申请授信时，销售业务员应当如实填写客户信用申请表，写明客户的基本情况、产品用量和品种，"
        "经业务主管审核后报营销部经理批准，批准后方可签订合作协议并明确信用额度和信用期限。")


def doc(*arts) -> list[dict]:
    """Articles from (number, title, text); anchors follow the numbers, as in the handbook."""
    md = "".join(f"### 第{n}条　{title} {{ #XY-99-{i} }}\n\n{text}\n\n"
                 for i, (n, title, text) in enumerate(arts, 1))
    return articles.tokenised(md)


A = ("一", "目的", "为规范客户信用管理，防范信用风险，制定本办法。")
B = ("二", "申请", LONG)
C = ("三", "期限", "信用期限为30天至60天。")
D = ("四", "附则", "本办法自发布之日起施行。")


def statuses(result) -> list[tuple]:
    return [(e["old"]["id"] if e["old"] else None, e["new"]["id"] if e["new"] else None, tuple(e["status"]))
            for e in result["articles"]]


@pytest.mark.cpython
def test_identical_texts_have_no_change():
    r = compare(doc(A, B, C), doc(A, B, C))
    assert r["summary"] == {"added": 0, "removed": 0, "changed": 0, "renumbered": 0, "moved": 0, "unchanged": 3}
    assert "<ins>" not in render(r, "1.0", "1.1") and "<del>" not in render(r, "1.0", "1.1")


@pytest.mark.cpython
def test_article_added_at_the_end():
    r = compare(doc(A, B), doc(A, B, D))
    assert statuses(r)[-1] == (None, "XY-99-3", ("added",))
    assert r["summary"]["added"] == 1 and r["summary"]["unchanged"] == 2


@pytest.mark.cpython
def test_article_removed_at_the_end():
    r = compare(doc(A, B, C), doc(A, B))
    assert statuses(r)[-1] == ("XY-99-3", None, ("removed",))
    assert r["articles"][-1]["inline"].startswith("<del>")


@pytest.mark.cpython
def test_article_inserted_in_the_middle_renumbers_the_ones_after_it():
    r = compare(doc(A, C, D), doc(A, B, C, D))
    assert statuses(r) == [("XY-99-1", "XY-99-1", ("unchanged",)), (None, "XY-99-2", ("added",)),
                           ("XY-99-2", "XY-99-3", ("renumbered",)), ("XY-99-3", "XY-99-4", ("renumbered",))]


@pytest.mark.cpython
def test_article_removed_from_the_middle_shows_where_it_stood():
    r = compare(doc(A, B, C), doc(A, C))
    assert statuses(r) == [("XY-99-1", "XY-99-1", ("unchanged",)), ("XY-99-2", None, ("removed",)),
                           ("XY-99-3", "XY-99-2", ("renumbered",))]


@pytest.mark.cpython
def test_article_moved():
    r = compare(doc(A, B, C, D), doc(A, C, D, B))
    moved = [s for s in statuses(r) if "moved" in s[2]]
    assert moved == [("XY-99-2", "XY-99-4", ("renumbered", "moved"))]
    assert r["summary"]["moved"] == 1 and r["summary"]["changed"] == 0


@pytest.mark.cpython
def test_word_changed_inside_a_long_sentence_marks_the_word_not_the_sentence():
    changed = ("二", "申请", LONG.replace("业务主管", "营销部经理"))
    r = compare(doc(A, B), doc(A, changed))
    entry = r["articles"][1]
    assert entry["status"] == ["changed"]
    assert re.findall(r"<del>(.*?)</del>", entry["inline"]) == ["业务主管"]
    assert re.findall(r"<ins>(.*?)</ins>", entry["inline"]) == ["营销部经理"]
    assert entry["inline"].startswith("客户申请授信时，销售业务员")  # the rest is plain text


@pytest.mark.cpython
def test_a_changed_number_is_marked_whole_like_a_word():
    r = compare(doc(C), doc(("三", "期限", "信用期限为30天至90天。")))
    inline = r["articles"][0]["inline"]
    assert "<del>60</del><ins>90</ins>" in inline
    assert "<del>30" not in inline


@pytest.mark.cpython
def test_renumbered_and_edited_article_is_matched_by_its_text():
    edited = ("三", "申请", LONG.replace("如实", "真实、完整地"))
    r = compare(doc(A, B), doc(A, D, edited))
    assert ("XY-99-2", "XY-99-3", ("renumbered", "changed")) in statuses(r)


@pytest.mark.cpython
def test_render_has_both_views_and_the_summary_line():
    html = render(compare(doc(A, B), doc(A, ("二", "申请", LONG.replace("业务主管", "营销部经理")), D)), "第 1.0 版", "第 1.1 版")
    assert "第 1.0 版 → 第 1.1 版：新增 1 条，修改 1 条，未变 1 条" in html
    assert "逐条标注（修订模式）" in html and "对照表" in html
    assert html.count("<tr data-status=") == 3


@pytest.mark.cpython
def test_text_is_escaped():
    r = compare(doc(("一", "x", "甲")), doc(("一", "x", "甲<script>alert(1)</script>")))
    assert "<script>" not in render(r, "a", "b")


# --- tables, row by row ---------------------------------------------------------------

TABLE = "信用期限如下：\n\n| 等级 | 期限 | 额度 |\n|---|---|---|\n| A | 60天 | 100万元 |\n| B | 30天 | 50万元 |\n| C | 0天 | 0 |"


@pytest.mark.cpython
def test_a_table_is_compared_row_by_row_and_cell_by_cell():
    new = TABLE.replace("| B | 30天 | 50万元 |", "| B | 45天 | 50万元 |")
    r = compare(doc(("五", "期限", TABLE)), doc(("五", "期限", new)))
    inline = r["articles"][0]["inline"]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", inline)
    assert len(rows) == 4                                   # header + three rows, not one flattened line
    assert rows[2] == "<td>B</td><td><del>30</del><ins>45</ins>天</td><td>50万元</td>"
    assert rows[1] == "<td>A</td><td>60天</td><td>100万元</td>"   # unchanged rows stay plain
    assert 'class="redline__row--changed"' in inline and inline.count("redline__row--changed") == 1
    html = render(r, "a", "b")
    assert '<div class="redline__text"><p>信用期限如下：</p><table data-rows>' in html


@pytest.mark.cpython
def test_a_row_added_or_removed_is_marked_whole():
    added = TABLE + "\n| D | 款到发货 | 0 |"
    r = compare(doc(("五", "期限", TABLE)), doc(("五", "期限", added)))
    inline = r["articles"][0]["inline"]
    assert '<tr class="redline__row--added"><td><ins>D</ins></td><td><ins>款到发货</ins></td><td><ins>0</ins></td></tr>' in inline
    removed = TABLE.replace("\n| C | 0天 | 0 |", "")
    r = compare(doc(("五", "期限", TABLE)), doc(("五", "期限", removed)))
    assert '<tr class="redline__row--removed"><td><del>C</del></td>' in r["articles"][0]["inline"]


@pytest.mark.cpython
def test_a_text_line_and_a_table_row_never_pair():
    r = compare(doc(("五", "期限", "甲。\n\n乙。")), doc(("五", "期限", "甲。\n\n| 乙 | 丙 |")))
    inline = r["articles"][0]["inline"]
    assert "<p><del>乙。</del></p>" in inline and "<td><ins>乙</ins></td>" in inline


# --- released text is never a template again --------------------------------------------

from tests.test_release import project  # noqa: E402,F401  (the fixture: a copy to release into)

@pytest.mark.build
def test_template_syntax_in_a_snapshot_shows_as_typed(project):
    """A rule that quotes template syntax keeps it on its revision and redline pages
    (they are generated with render_macros: false)."""
    from tests.test_release import NEXT_MINOR, release, reword, run

    reword(project, words="{% raw %}本条的公式写作 {{ 7*6 }}。{% endraw %}")
    proc = release(project)
    assert proc.returncode == 0, proc.stderr
    snapshot = (project / "revisions" / "XY-03" / f"{NEXT_MINOR}.md").read_text(encoding="utf-8")
    assert "本条的公式写作 {{ 7*6 }}。" in snapshot
    proc = run(project, "build", "-q", "-d", str(project / "site"), module="mkdocs")
    assert proc.returncode == 0, proc.stderr
    page = (project / "site" / "xinyong" / f"XY-03-v{NEXT_MINOR}" / "index.html").read_text(encoding="utf-8")
    assert "本条的公式写作 {{ 7*6 }}。" in page and "公式写作 42" not in page
    redlines = list((project / "site" / "xinyong").glob(f"XY-03-redline-*-{NEXT_MINOR}/index.html"))
    html = redlines[0].read_text(encoding="utf-8")
    assert "{{ 7*6 }}" in html and "42</ins>" not in html
