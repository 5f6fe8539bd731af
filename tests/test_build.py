"""The site build: strict, self-contained, and failing on citations that point nowhere."""

import re
import shutil
from urllib.parse import urlparse

import jieba
import pytest

from calc import parameters
from handbook import pages
from tests.support import ROOT, build_site


def scratch_project(tmp_path, extra_page: str = "# 附加\n"):
    """A copy of the project's site sources with one more page, to build in isolation."""
    for name in ("docs", "overrides", "hooks"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("mkdocs.yml", "macros.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("calc", "handbook", "revisions"):  # mkdocs.yml `watch:` needs them to exist
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    (tmp_path / "docs" / "extra.md").write_text(extra_page, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - 计算器一览: calculators.md", "  - 计算器一览: calculators.md\n  - 附加: extra.md"), encoding="utf-8")
    return config


@pytest.mark.build
def test_scratch_copy_builds(tmp_path):
    """Control for the two failures below: the copy itself builds."""
    config = scratch_project(tmp_path, "# 附加\n\n见{{ clause('XY-03-4-1') }}。\n")
    proc = build_site(tmp_path / "out", "http://127.0.0.1:8000/", config)
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "out" / "extra" / "index.html").read_text(encoding="utf-8")
    assert 'href="../xinyong/XY-03/#XY-03-4-1"' in html


@pytest.mark.build
def test_citation_of_a_missing_clause_fails_the_build(tmp_path):
    config = scratch_project(tmp_path, "# 附加\n\n见{{ clause('XY-03-4-9') }}。\n")
    proc = build_site(tmp_path / "out", "http://127.0.0.1:8000/", config)
    assert proc.returncode != 0
    assert "extra.md 引用了不存在的条款 XY-03-4-9" in proc.stderr + proc.stdout


@pytest.mark.build
def test_link_to_a_missing_anchor_fails_the_strict_build(tmp_path):
    config = scratch_project(tmp_path, "# 附加\n\n[不存在](xinyong/XY-03.md#XY-03-99)\n")
    proc = build_site(tmp_path / "out", "http://127.0.0.1:8000/", config)
    assert proc.returncode != 0
    assert "XY-03-99" in proc.stderr + proc.stdout


@pytest.mark.build
def test_built_pages_load_nothing_from_other_hosts(site):
    own = urlparse(site.url).netloc
    for html_file in site.dir.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html):
            if 'rel="canonical"' in tag:
                continue  # names the page's own address; nothing is fetched
            for url in re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', tag):
                assert urlparse(url).netloc == own, f"{html_file}: {tag}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


@pytest.mark.build
def test_pyodide_and_wheel_are_served_by_the_site(site):
    # The runtime sits in a folder named by its content hash, so a new build never meets a
    # stale cached copy.
    (runtime,) = (site.dir / "assets" / "pyodide").iterdir()
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"):
        assert (runtime / name).is_file(), name
    assert site.wheel().name.endswith("-py3-none-any.whl")


@pytest.mark.build
def test_chapter_shows_control_block_clause_anchors_and_parameter_values(site):
    html = (site.dir / "xinyong" / "XY-03" / "index.html").read_text(encoding="utf-8")
    assert "<dt>编号</dt><dd>XY-03</dd>" in html      # the control strip
    for anchor in ("XY-03-4", "XY-03-4-1", "XY-03-5-7", "XY-03-6"):
        assert f'id="{anchor}"' in html
        assert f'href="#{anchor}"' in html  # permalink
    years = parameters.policy()["credit_grade"]["min_cooperation_years"]["value"]
    assert f"双方业务合作{years}年以上。" in html
    assert html.count('data-calculator="credit-grade"') == 1


@pytest.mark.cpython
def test_chapter_text_follows_the_parameter_file(monkeypatch):
    changed = parameters.policy() | {}
    changed["credit_grade"] = {**changed["credit_grade"],
                               "min_cooperation_years": {"value": 3, "unit": "年"}}
    monkeypatch.setattr("calc.parameters.policy", lambda: changed)
    monkeypatch.setattr("handbook.pages.policy", lambda: changed)
    assert "（一）双方业务合作3年以上。" in pages.clause_items("credit_grade.a_conditions")


@pytest.mark.cpython
def test_search_dictionary_keeps_domain_terms_whole():
    jieba.load_userdict(str(ROOT / "handbook" / "search_terms.txt"))
    words = list(jieba.cut("客户须款到发货，不得赊销，减少应收账款逾期"))
    for term in ("款到发货", "赊销", "应收账款", "逾期"):
        assert term in words
