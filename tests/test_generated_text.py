"""Text generated from the parameters that drive a calculator: a change of the data changes
the chapter's text and the calculator's answer together."""

import copy

import pytest

from calc import parameters
from calc.registry import run
from handbook import pages

pytestmark = pytest.mark.cpython


def _x3_order():
    return {"credit_limit": 0, "receivables": 100, "open_orders": 0, "order_value": 0,
            "risk_category": "X3", "overdue_amount": 100}


def _cell(table: str, row: str, column_word: str) -> str:
    lines = table.splitlines()
    col = next(i for i, h in enumerate(lines[0].split(" | ")) if column_word in h)
    return next(line for line in lines if line.startswith(f"| {row} ")).split(" | ")[col]


def test_applicability_table_follows_applies_to(monkeypatch):
    table = pages.rule_applicability()
    assert _cell(table, "X3", "逾期比例") == "检查"   # 第十二条第（三）项 applies to X3
    assert run("credit-check", _x3_order())["decision"] == "block"

    changed = copy.deepcopy(parameters.policy())
    r3 = next(r for r in changed["credit_check"]["rules"] if r["id"] == "r3")
    r3["applies_to"] = [c for c in r3["applies_to"] if c != "X3"]
    assert _cell(pages.rule_applicability(changed), "X3", "逾期比例") == "不适用"
    result = run("credit-check", _x3_order(), changed)
    assert next(c for c in result["checks"] if c["id"] == "r3")["status"] == "n/a"


def test_registry_is_the_list_of_calculators():
    """计算器一览 is generated from the registry; the README names every calculator with the
    document whose rule it applies."""
    import re
    from pathlib import Path

    from calc.registry import listing

    root = Path(__file__).resolve().parent.parent
    assert "{{ calculator_index() }}" in (root / "docs" / "calculators.md").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    for entry in listing():
        assert re.search(rf"`{re.escape(entry['name'])}`\s*[^`]*?（{entry['document']}", readme), entry["name"]
