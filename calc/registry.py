"""The calculators by name, and the two ways to call one: with a dict (CPython) or with
JSON text (the page's worker, which passes strings across the Pyodide boundary)."""

import json

from calc import (attendance_fine, credit_application, credit_check, credit_grade, credit_kpi,
                  customer_tiering, filing_deadline, report_deadline, tier_terms)
from calc.errors import InputError
from calc.schema import validate

CALCULATORS = {m.NAME: m for m in (credit_grade, credit_application, customer_tiering, tier_terms,
                                    credit_check, credit_kpi, report_deadline, filing_deadline,
                                    attendance_fine)}


def get(name: str):
    if name not in CALCULATORS:
        raise InputError(None, f"未知的计算器 {name}，可用：{'、'.join(CALCULATORS)}")
    return CALCULATORS[name]


def listing() -> list[dict]:
    return [{"name": m.NAME, "title": m.TITLE, "clauses": m.clauses()}
            for m in CALCULATORS.values()]


def run(name: str, data) -> dict:
    module = get(name)
    return module.evaluate(validate(module.schema(), data))


def parse(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(None, f"输入不是合法的 JSON（第 {e.lineno} 行第 {e.colno} 列：{e.msg}）")


def run_json(name: str, text: str) -> str:
    """For the page: always returns JSON, {"error": "..."} for bad input."""
    try:
        result = run(name, parse(text))
    except InputError as e:
        result = {"error": str(e), "field": e.field}
    return json.dumps(result, ensure_ascii=False)


def run_upload(name: str, data: bytes) -> str:
    """For the page: a file the user uploaded (a CSV customer list), answered as JSON."""
    module = get(name)
    if not hasattr(module, "upload"):
        return json.dumps({"error": f"计算器 {name} 不接受上传文件"}, ensure_ascii=False)
    if hasattr(data, "to_bytes"):  # a JavaScript Uint8Array passed in by Pyodide
        data = data.to_bytes()
    return json.dumps(module.upload(bytes(data)), ensure_ascii=False)
