"""Read receipts in CPython: the checker (handbook/receipts.py) passes the worked cases the
page's checker passes (tests/receipt_cases.json) with the same table of outcomes; and
`python -m handbook receipts` reads a staff list and a folder of receipts and reports, per
person and document of the position's path, 现行 / 须重新阅读 / 未读, with the receipts that do
not match the record listed apart and bad input named by file and line."""

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from handbook import receipts
from tests.support import ROOT

pytestmark = pytest.mark.cpython

CASES = json.loads((ROOT / "tests" / "receipt_cases.json").read_text(encoding="utf-8"))


def _summary(result: dict) -> dict:
    return {"tooLong": result["tooLong"], "date": result["date"],
            "problems": [p["status"] for p in result["problems"]],
            "items": [[i["doc"], i["version"], i["status"]] for i in result["items"]],
            "mismatches": result["mismatches"], "reread": result["reread"]}


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_the_shared_cases(case):
    got = receipts.check(CASES["releases"], case["text"], case["today"])
    want = case["expect"]
    assert _summary(got) == {k: want[k] for k in ("tooLong", "date", "problems", "items", "mismatches", "reread")}
    text = "\n".join(i["text"] for i in got["problems"] + got["items"])
    for words in want.get("contains", []):
        assert words in text


def test_the_outcomes_are_the_pages_table():
    """The same statuses, kinds and words, in the same order, as receipt-check.js's RULES
    (read from the script's source; the browser test compares the running table too)."""
    source = (ROOT / "docs/assets/javascripts/receipt-check.js").read_text(encoding="utf-8")
    fmt = re.search(r'var FORMAT = "([^"]+)"', source)[1]
    js = [(m[1], m[2] == "true", m[3].replace('" + FORMAT + "', fmt)) for m in re.finditer(
        r'\{ status: "([\w-]+)", mismatch: (true|false), text: "((?:[^"\\]|" \+ FORMAT \+ ")*)" \}', source)]
    assert fmt == receipts.FORMAT
    assert js == [(r["status"], r["mismatch"], r["text"]) for r in receipts.RULES]
    assert len(js) == 17


def test_size_limit_both_sides():
    assert receipts.MAX_CHARS == 100_000
    assert receipts.check([], "x" * 100_000, "2027-01-01")["tooLong"] is False
    assert receipts.check([], "x" * 100_001, "2027-01-01")["tooLong"] is True
    # Counted as the page counts (UTF-16 code units): a character outside the BMP is two.
    assert receipts.check([], "𠀀" * 50_000, "2027-01-01")["tooLong"] is False
    assert receipts.check([], "𠀀" * 50_000 + "x", "2027-01-01")["tooLong"] is True


def test_places_are_named():
    """Each document is named by its line (text) or its place in the list (JSON), and a
    broken JSON file by line and column: the command's messages point there."""
    case = next(c for c in CASES["cases"] if c["name"] == "truncated-sha")
    item = receipts.check(CASES["releases"], case["text"], case["today"])["items"][0]
    assert item["where"] == "第 9 行"
    case = next(c for c in CASES["cases"] if c["name"] == "json-incomplete-entries")
    assert [i["where"] for i in receipts.check(CASES["releases"], case["text"], case["today"])["items"]][:2] == \
        ["第 1 项", "第 2 项"]
    broken = receipts.check(CASES["releases"], '{\n "format": "handbook-receipt/1",\n "date": ', "2027-03-01")
    assert broken["problems"][0]["status"] == "not-a-receipt" and broken["problems"][0]["where"] == "第 3 行第 10 列"


def test_json_numbers_read_as_the_page_reads_them():
    """5.0 is the integer 5 in JavaScript; NaN is not JSON there."""
    case = next(c for c in CASES["cases"] if c["name"] == "self-check-all-right")
    text = case["text"].replace('"right": 5', '"right": 5.0')
    assert receipts.check(CASES["releases"], text, case["today"])["problems"] == []
    text = case["text"].replace('"right": 5', '"right": NaN')
    assert receipts.check(CASES["releases"], text, case["today"])["problems"][0]["status"] == "not-a-receipt"


def test_a_receipt_says_who_and_what_position():
    case = next(c for c in CASES["cases"] if c["name"] == "json-current-with-unticked")
    r = receipts.parse(case["text"])
    assert (r.name, r.employee, r.position_id, r.position_name) == ("张三", "A0012", "credit_officer", "信用专员")
    assert r.self_check == {"right": 4, "total": 5, "date": "2027-02-15"}
    old = receipts.parse(CASES["cases"][0]["text"])
    assert (old.kind, old.name, old.employee, old.position_id, old.position_name) == \
        ("text", "张三", "A0012", "", "信用专员")
