"""The same case files through the built wheel in real Pyodide (the npm package under
Node.js), one boot for the whole session."""

import pytest

from tests.support import load_cases

GRADE = load_cases("credit-grade")


def test_runs_in_pyodide_python(node_pyodide):
    # The runner reports the interpreter it booted: Pyodide's 3.14, not this CPython.
    assert node_pyodide.python.startswith("3.14")


@pytest.mark.parametrize("case", GRADE["cases"], ids=lambda c: c["name"])
def test_credit_grade_cases(node_pyodide, case):
    result = node_pyodide.run("credit-grade", case["input"])
    assert result["grade"] == case["expect"]["grade"]
    assert sorted(c["id"] for c in result["checks"] if c["status"] == "fail") == case["expect"]["failed_checks"]
    assert result["policy"]["document"] == "XY-03"


@pytest.mark.parametrize("case", GRADE["errors"], ids=lambda c: c["name"])
def test_credit_grade_bad_input(node_pyodide, case):
    result = node_pyodide.run("credit-grade", case["input"])
    assert result["field"] == case["field"]
    assert case["message"] in result["error"]


def test_malformed_json_is_a_message_not_a_traceback(node_pyodide):
    result = node_pyodide.run_raw("credit-grade", "{not json")
    assert "不是合法的 JSON" in result["error"]
