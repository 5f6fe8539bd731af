"""Property-based: for every calculator, any input gives a decision or a clean Chinese
error naming the field, never a traceback (a few thousand examples in all)."""

import json

import pytest
from hypothesis import HealthCheck, given, settings

from calc import CALCULATORS, run, run_json
from calc.errors import InputError
from tests.strategies import inputs

EXAMPLES = 1000


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_any_input_gives_a_decision_or_a_clean_error(name):
    module = CALCULATORS[name]

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(inputs(module.schema()))
    def check(data):
        try:
            result = run(name, data)
        except InputError as e:
            message = str(e)
            assert message and "\n" not in message and "Traceback" not in message
            assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
            return
        assert result["calculator"] == name
        assert result[module.OUTCOME] is not None
        for c in result["checks"]:
            assert c["status"] in {"ok", "fail", "n/a"}
        json.dumps(result, ensure_ascii=False, allow_nan=False)  # the page and CLI can send it

    check()


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_json_entry_point_never_raises_on_text(name):
    @settings(max_examples=200, deadline=None)
    @given(__import__("hypothesis").strategies.text(max_size=40))
    def check(text):
        out = json.loads(run_json(name, text))
        assert "error" in out or out["calculator"] == name

    check()
