"""A version page's impact section on the built site (no browser): in words only, no file,
module, field or calculator id."""

import html
import re

import pytest

from tests.test_impact import LEAK

pytestmark = pytest.mark.build


def test_no_version_page_names_a_file_module_or_id(site):
    pages = sorted(site.dir.glob("*/[A-Z][A-Z]-[0-9][0-9]-v*/index.html"))
    assert len(pages) > 30
    for path in pages:
        text = path.read_text(encoding="utf-8")
        article = re.search(r"<article.*?</article>", text, re.S).group(0)
        assert "data-revision-impact" in article, path
        words = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", article, flags=re.S)))
        assert not LEAK.search(words), (path, LEAK.search(words))
