"""The built search index (no browser): it holds the rules, not control blocks, a
calculator's fields or a swimlane's lane names run together."""

import re

import pytest

from tests.test_search_chromium import HASH, index_text

pytestmark = pytest.mark.build


def test_the_index_holds_the_rules_not_control_blocks_forms_or_lanes(site):
    text = index_text(site)
    for location, words in text.items():
        assert not HASH.search(words) and "请核对发布记录哈希链头" not in words and "归口部门（解释与问询）" not in words, location
        assert "双方业务合作年限" not in words, location              # a calculator's field
        assert "订单员销售业务员财务部" not in re.sub(r"\s", "", words), location   # a swimlane's lanes
    # The words of a swimlane's steps and of the article around a calculator stay.
    assert "例外放行" in text["xinyong/XY-05/#XY-05-20"]
    assert "年度回款率" in text["xinyong/XY-03/#XY-03-7"]
