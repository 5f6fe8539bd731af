"""Revision pages without a browser: what the built site's pages say, and how they are
generated (moved from test_revisions_chromium.py: they need no browser)."""

import re

import pytest

from handbook import documents, revision_pages, revisions
from tests.test_revisions_chromium import MANIFEST, NEW, OLD, static_redline


@pytest.mark.build
def test_no_page_claims_the_site_always_shows_the_version_in_force(site):
    for path in site.dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "始终是现行有效" not in text and "请按现行版本执行" not in text, path


@pytest.mark.cpython
def test_snapshot_text_is_never_run_as_a_template():
    """Generated revision and redline pages are marked render_macros: false."""
    pages = revision_pages.pages(documents.load_all(), MANIFEST, revisions.REVISIONS_DIR)
    assert pages and all("render_macros: false" in md.split("---")[1] for md in pages.values())


@pytest.mark.build
def test_each_revision_has_its_redline_page_with_marks(site):
    html = static_redline(site)
    summary = re.search(r'class="redline__summary">(.*?)</p>', html)[1]
    assert summary.startswith(f"第 {OLD.version} 版 → 第 {NEW.version} 版：")
    assert "<ins>" in html or "<del>" in html
