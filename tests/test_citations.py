"""The build check on citations that name their subject (handbook/citations.py)."""

from pathlib import Path

import pytest

from handbook import citations
from tests.support import ROOT, build_site
from tests.test_build import scratch_project

TITLES = {"KH-05-1": "目的", "KH-05-3": "大客户的界定", "KH-01-5": "客户类别",
          "XY-05-4": "术语", "KH-02-13": "价格"}


@pytest.mark.cpython
@pytest.mark.parametrize("text", [
    '大客户的界定见{{ clause("KH-05-3") }}。',          # the title names the subject
    '大客户的定义见{{ clause("KH-05-3-1") }}。',        # an item: its article's title counts
    '信用控制区的含义见{{ clause("XY-05-4") }}。',      # a definition article (术语)
    '按《大客户管理办法》执行（见{{ clause("KH-05-1") }}）。',  # no subject named: not checked
    '价格、付款、交期见{{ clause("KH-02-13") }}。',     # no 定义/界定/含义: not checked
])
def test_citations_that_fit_or_name_no_subject_pass(text):
    assert citations.mismatches(text, TITLES) == []


@pytest.mark.cpython
@pytest.mark.parametrize("text", [
    '大客户的界定见{{ clause("KH-05-1") }}。',          # the purpose article
    '大客户（定义见{{ clause("KH-01-5") }}）',           # 客户类别 shares only "客户"
    "重点客户中大客户的含义见{{ clause('KH-05-1-2') }}",
])
def test_citation_to_an_article_about_something_else_is_flagged(text):
    problems = citations.mismatches(text, TITLES)
    assert len(problems) == 1 and "大客户" in problems[0]


@pytest.mark.cpython
def test_titles_are_read_from_the_documents_with_roster_names():
    titles = citations.article_titles(sorted((ROOT / "docs").glob("*/*.md")))
    assert titles["KH-05-3"] == "大客户的界定"
    assert all("{{" not in t for t in titles.values())


@pytest.mark.cpython
def test_the_handbook_has_no_mismatched_citation():
    titles = citations.article_titles(sorted((ROOT / "docs").glob("*/*.md")))
    found = {p.name: citations.mismatches(p.read_text(encoding="utf-8"), titles)
             for p in (ROOT / "docs").rglob("*.md")}
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.build
def test_mismatched_citation_fails_the_build(tmp_path):
    config = scratch_project(tmp_path, '# 附加\n\n大客户的界定见{{ clause("KH-05-1") }}。\n')
    proc = build_site(tmp_path / "out", "http://127.0.0.1:8000/", config)
    assert proc.returncode != 0
    assert "extra.md：“大客户的界定见" in proc.stderr + proc.stdout
