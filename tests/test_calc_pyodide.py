"""The same case files through the built wheel in real Pyodide (the npm package under
Node.js), one boot for the whole session."""

import json

import pytest

from calc.registry import CALCULATORS
from tests import cases

pytestmark = pytest.mark.pyodide


def test_runs_in_pyodide_python(node_pyodide):
    # The runner reports the interpreter it booted: Pyodide's 3.14, not this CPython.
    assert node_pyodide.python.startswith("3.14")


@pytest.mark.parametrize("name,case", cases.params("cases"), ids=cases.ids)
def test_case_files(node_pyodide, name, case):
    result = node_pyodide.run(name, case["input"])
    assert cases.mismatches(result, case["expect"]) == []
    assert result["policy"]["version"]


@pytest.mark.parametrize("name,case", cases.params("errors"), ids=cases.ids)
def test_case_files_bad_input(node_pyodide, name, case):
    result = node_pyodide.run(name, case["input"])
    assert result["field"] == case["field"]
    assert case["message"] in result["error"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_upload_in_pyodide(node_pyodide, encoding):
    text = "客户编号,总分\n甲,90\n乙,abc\n丙,80\n"
    result = node_pyodide.upload("customer-tiering", text.encode(encoding))
    assert [c["id"] for c in result["result"]["customers"]] == ["甲", "丙"]
    assert result["row_errors"] == [{"line": 3, "message": "第 3 行：总分应为数字，收到“abc”"}]


def test_malformed_json_is_a_message_not_a_traceback(node_pyodide):
    result = node_pyodide.run_raw("credit-grade", "{not json")
    assert "不是合法的 JSON" in result["error"]


@pytest.mark.parametrize("name,text,words", [
    ("credit-grade", "[" * 100_000, "嵌套层数过多"),
    ("credit-grade", '{"cooperation_years": ' + "9" * 5000 + "}", "数字位数过多"),
    ("customer-tiering", '{"customers": [{"id": "\\ud800", "score": 5}]}', "含有无效的字符"),
    ("attendance-fine", json.dumps({"late_minutes": [5] * 10_001}), "最多"),
])
def test_hostile_json_is_refused_in_pyodide(node_pyodide, name, text, words):
    result = node_pyodide.run_raw(name, text)
    assert set(result) == {"error", "field"} and words in result["error"]
    assert cases.message_problems(CALCULATORS[name].schema(), result["error"], text) == []


@pytest.mark.parametrize("text,words", [
    ('客户编号,总分\n甲,"' + "x" * 200_000 + '"\n', "无法读取"),
    ("客户编号,总分\n", "只有表头"),
    ("客户编号,总分,总分\n甲,1,2\n", "出现了两次"),
])
def test_unreadable_csv_is_refused_in_pyodide(node_pyodide, text, words):
    result = node_pyodide.upload("customer-tiering", text.encode("utf-8"))
    assert result["field"] == "CSV" and words in result["error"]


def test_csv_with_cr_only_lines_and_nan_in_pyodide(node_pyodide):
    result = node_pyodide.upload("customer-tiering", "客户编号,总分\r甲,nan\r乙,80\r丙,1e999\r".encode())
    assert [c["id"] for c in result["result"]["customers"]] == ["乙"]
    assert [e["line"] for e in result["row_errors"]] == [2, 4]
