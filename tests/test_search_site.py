"""The built search index (no browser): it holds the rules, not control blocks, a
calculator's fields or a swimlane's lane names run together."""

import json
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


# The decision tables (handbook/decision_tables.py) are the rule restated: left out of the index.
def test_the_search_index_leaves_the_tables_out(site):
    index = json.loads((site.dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d.get("text", "") + d.get("title", "") for d in index["docs"])
    assert "命中规则" not in text and "决策表" not in text
