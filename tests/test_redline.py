"""The clause-by-clause comparison on hand-made pairs of revisions."""

import re

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


def test_identical_texts_have_no_change():
    r = compare(doc(A, B, C), doc(A, B, C))
    assert r["summary"] == {"added": 0, "removed": 0, "changed": 0, "renumbered": 0, "moved": 0, "unchanged": 3}
    assert "<ins>" not in render(r, "1.0", "1.1") and "<del>" not in render(r, "1.0", "1.1")


def test_article_added_at_the_end():
    r = compare(doc(A, B), doc(A, B, D))
    assert statuses(r)[-1] == (None, "XY-99-3", ("added",))
    assert r["summary"]["added"] == 1 and r["summary"]["unchanged"] == 2


def test_article_removed_at_the_end():
    r = compare(doc(A, B, C), doc(A, B))
    assert statuses(r)[-1] == ("XY-99-3", None, ("removed",))
    assert r["articles"][-1]["inline"].startswith("<del>")


def test_article_inserted_in_the_middle_renumbers_the_ones_after_it():
    r = compare(doc(A, C, D), doc(A, B, C, D))
    assert statuses(r) == [("XY-99-1", "XY-99-1", ("unchanged",)), (None, "XY-99-2", ("added",)),
                           ("XY-99-2", "XY-99-3", ("renumbered",)), ("XY-99-3", "XY-99-4", ("renumbered",))]


def test_article_removed_from_the_middle_shows_where_it_stood():
    r = compare(doc(A, B, C), doc(A, C))
    assert statuses(r) == [("XY-99-1", "XY-99-1", ("unchanged",)), ("XY-99-2", None, ("removed",)),
                           ("XY-99-3", "XY-99-2", ("renumbered",))]


def test_article_moved():
    r = compare(doc(A, B, C, D), doc(A, C, D, B))
    moved = [s for s in statuses(r) if "moved" in s[2]]
    assert moved == [("XY-99-2", "XY-99-4", ("renumbered", "moved"))]
    assert r["summary"]["moved"] == 1 and r["summary"]["changed"] == 0


def test_word_changed_inside_a_long_sentence_marks_the_word_not_the_sentence():
    changed = ("二", "申请", LONG.replace("业务主管", "营销部经理"))
    r = compare(doc(A, B), doc(A, changed))
    entry = r["articles"][1]
    assert entry["status"] == ["changed"]
    assert re.findall(r"<del>(.*?)</del>", entry["inline"]) == ["业务主管"]
    assert re.findall(r"<ins>(.*?)</ins>", entry["inline"]) == ["营销部经理"]
    assert entry["inline"].startswith("客户申请授信时，销售业务员")  # the rest is plain text


def test_a_changed_number_is_marked_whole_like_a_word():
    r = compare(doc(C), doc(("三", "期限", "信用期限为30天至90天。")))
    inline = r["articles"][0]["inline"]
    assert "<del>60</del><ins>90</ins>" in inline
    assert "<del>30" not in inline


def test_renumbered_and_edited_article_is_matched_by_its_text():
    edited = ("三", "申请", LONG.replace("如实", "真实、完整地"))
    r = compare(doc(A, B), doc(A, D, edited))
    assert ("XY-99-2", "XY-99-3", ("renumbered", "changed")) in statuses(r)


def test_render_has_both_views_and_the_summary_line():
    html = render(compare(doc(A, B), doc(A, ("二", "申请", LONG.replace("业务主管", "营销部经理")), D)), "第 1.0 版", "第 1.1 版")
    assert "第 1.0 版 → 第 1.1 版：新增 1 条，修改 1 条，未变 1 条" in html
    assert "逐条标注（修订模式）" in html and "对照表" in html
    assert html.count("<tr data-status=") == 3


def test_text_is_escaped():
    r = compare(doc(("一", "x", "甲")), doc(("一", "x", "甲<script>alert(1)</script>")))
    assert "<script>" not in render(r, "a", "b")
