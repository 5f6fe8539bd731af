"""The same case files through the built wheel in real Pyodide (the npm package under
Node.js), one boot for the whole session."""

import pytest

from tests import cases


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
