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
    assert result["result"] is None and result["csv"] is None   # a wrong row: nobody is tiered
    assert result["row_errors"] == [{"line": 3, "message": "第 3 行：总分应为数字（如 3 或 1.5），收到“abc”"}]
    good = node_pyodide.upload("customer-tiering", text.replace("乙,abc\n", "").encode(encoding))
    assert [line.split(",")[0] for line in good["csv"].lstrip("\ufeff").splitlines()[1:]] == ["甲", "丙"]


def test_an_excel_file_reads_and_tiers_the_same_in_pyodide_as_in_cpython(node_pyodide):
    """Percent cells, 万, separators, the document's column names, a quoted name: the
    answer (the download included) is the CPython one, byte for byte."""
    from calc.registry import run_upload
    text = ("客户编号,客户名称,销售规模,付款信誉,产品利润率,产品订量,销售模式,本公司产品在其销售总额中的比例,经营产品历史,行业知名度\n"
            + "".join(f'K{i:02d},"公司{i},华东",{(i * 37) % 50}万,{i % 6},{(i * 7) % 30}.5%,"{i * 1234:,}",{(i * 3) % 6},'
                      f'{(i * 11) % 90}%,{i % 12},{(i * 5) % 6}\n' for i in range(1, 41)))
    data = text.encode("gb18030")
    assert node_pyodide.upload("customer-tiering", data) == json.loads(run_upload("customer-tiering", data))


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
    assert result["result"] is None
    assert [e["line"] for e in result["row_errors"]] == [2, 4]
    assert "inf" not in json.dumps(result["problems"], ensure_ascii=False)


def test_an_unbalanced_quote_is_refused_at_its_line_in_pyodide(node_pyodide):
    rows = "".join(f"C{i},{i * 4},公司{i}\n" for i in range(1, 21)).replace("C3,12,公司3\n", 'C3,12,"公司3\n')
    result = node_pyodide.upload("customer-tiering", ("客户编号,总分,客户名称\n" + rows).encode())
    assert set(result) == {"error", "field"} and "第 4 行的引号不成对" in result["error"]
