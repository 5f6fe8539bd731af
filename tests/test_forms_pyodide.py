"""The forms' Python in real Pyodide (the built wheel under Node.js), as the page runs it
through the calculators' worker (calc.registry.run_json "form-fill"): the same reading of
what staff type, the same 大写, the same records and prefill as in CPython."""

import json
from decimal import Decimal

import pytest

from calc import form_fill
from handbook import documents, form_pages, forms, revisions
from tests.support import ROOT

pytestmark = pytest.mark.pyodide

DOCS = documents.load_all()
MANIFEST = revisions.load()
DEFS = forms.all_definitions(DOCS)
SPEC = form_pages.spec(DEFS["credit_application_form"], DOCS["XY-04"], MANIFEST["XY-04"])
AMOUNTS = json.loads((ROOT / "tests" / "data" / "amount-words.json").read_text(encoding="utf-8"))["examples"]
RAW = {"application_kind": "新增授信", "customer_name": "华东机电", "product_volume": "20吨", "product_types": "电缆",
       "licensed": "是", "monthly_sales": "１．５万", "good_reputation": "是", "credit_grade": "B级", "tier": "C类",
       "requested_limit": "￥80,000", "requested_period_days": "３０"}


def _fill(node_pyodide, request):
    return node_pyodide.run("form-fill", {**request, "spec": SPEC})


def test_the_page_reads_values_and_writes_capital_amounts_in_pyodide(node_pyodide):
    answer = _fill(node_pyodide, {"action": "read", "raw": RAW})
    assert answer["errors"] == []
    assert answer["values"]["monthly_sales"] == 15000 and answer["values"]["requested_period_days"] == 30
    assert answer["words"] == {"monthly_sales": "人民币壹万伍仟元整", "requested_limit": "人民币捌万元整"}
    # Every example of the rules for filling bills, within the form's 15 digits.
    for amount, words, rule in AMOUNTS:
        if Decimal(amount) <= form_fill.MAX_AMOUNT:
            got = _fill(node_pyodide, {"action": "read", "raw": {**RAW, "requested_limit": amount}})
            assert got["words"]["requested_limit"] == words, rule


def test_errors_name_each_field_in_pyodide(node_pyodide):
    answer = _fill(node_pyodide, {"action": "read", "raw": {**RAW, "requested_limit": "-5", "customer_name": ""}})
    messages = {e["field"]: e["message"] for e in answer["errors"]}
    assert messages == {"customer_name": "请填写客户名称", "requested_limit": "申请的信用额度：金额不能为负数"}


def test_a_record_made_in_pyodide_loads_back_and_matches_cpython(node_pyodide):
    made = _fill(node_pyodide, {"action": "record", "raw": RAW, "made_by": "李四"})["record"]
    assert made["version"] == MANIFEST["XY-04"][-1].version and made["sha256"] == MANIFEST["XY-04"][-1].sha256
    assert made["saved_at"].endswith("+08:00")
    back = _fill(node_pyodide, {"action": "load", "text": json.dumps(made, ensure_ascii=False)})
    assert back["raw"] == RAW and back["notes"] == [] and back["made_by"] == "李四"
    cpython = form_fill.load(SPEC, json.dumps(made, ensure_ascii=False))
    assert {k: cpython[k] for k in ("raw", "notes", "changes", "state")} == \
        {k: back[k] for k in ("raw", "notes", "changes", "state")}


def test_a_calculators_answer_fills_its_form_in_pyodide(node_pyodide):
    result = node_pyodide.run_raw("credit-application", json.dumps(
        {"licensed": True, "monthly_sales": 20000, "good_reputation": True, "credit_grade": "A", "tier": "A",
         "purchase_cycle_days": 45}))
    result["form_input"] = {"licensed": True, "monthly_sales": 20000, "good_reputation": True,
                            "credit_grade": "A", "tier": "A", "purchase_cycle_days": 45}
    out = _fill(node_pyodide, {"action": "prefill", "handoff": {
        "calculator": "credit-application", "title": "授信申请审查", "result": result, "program": "calc 0.1.0"}})
    assert out["raw"]["credit_period_range"] == "30至45天" and out["raw"]["credit_grade"] == "A级"
    assert out["sources"]["credit_grade"]["version"] == MANIFEST["XY-04"][-1].version
