"""The calculators in CPython: every case of the shared case files, every condition
flipping the grade on its own, and the command-line contract."""

import json
import subprocess
import sys

import pytest

from calc import parameters, run
from calc.errors import InputError
from calc.registry import CALCULATORS
from handbook.clauses import CLAUSE_RE
from tests import cases
from tests.support import ROOT, load_cases

GRADE = load_cases("credit-grade")


def failed(result: dict) -> list[str]:
    return sorted(c["id"] for c in result["checks"] if c["status"] == "fail")


@pytest.mark.parametrize("name,case", cases.params("cases"), ids=cases.ids)
def test_case_files(name, case):
    result = run(name, case["input"])
    assert cases.mismatches(result, case["expect"]) == []


@pytest.mark.parametrize("name,case", cases.params("errors"), ids=cases.ids)
def test_case_files_bad_input(name, case):
    with pytest.raises(InputError) as e:
        run(name, case["input"])
    assert e.value.field == case["field"]
    assert case["message"] in str(e.value)
    if case["field"]:
        assert str(e.value).startswith(f"字段 {case['field']}")


def test_every_calculator_has_a_case_file():
    assert set(cases.ALL) == set(CALCULATORS)
    for name, data in cases.ALL.items():
        assert len(data["cases"]) >= 5 and len(data["errors"]) >= 3, name


def _all_a() -> dict:
    return {"cooperation_years": 5, "defaults_2y": 0, "lawful_and_reliable": True,
            "good_operation_2y": True, "strong_solvency": True, "meets_annual_targets": True}


def test_every_a_condition_alone_drops_a_to_b():
    rules = parameters.policy()["credit_grade"]
    assert run("credit-grade", _all_a())["grade"] == "A"
    for cond in rules["a_conditions"]:
        data = _all_a()
        field = cond["field"]
        if isinstance(data[field], bool):
            data[field] = False
        elif field == "cooperation_years":
            data[field] = rules["min_cooperation_years"]["value"] - 0.01
        else:
            continue  # defaults_2y makes the customer C, tested below
        result = run("credit-grade", data)
        assert (result["grade"], failed(result)) == ("B", [cond["id"]]), cond["id"]


def test_every_c_condition_alone_makes_c():
    rules = parameters.policy()["credit_grade"]
    for cond in rules["c_conditions"]:
        data = _all_a()
        if "code" in cond:
            data["red_flags"] = [cond["code"]]
        else:
            data["defaults_2y"] = rules["max_defaults_for_a"]["value"] + 1
        result = run("credit-grade", data)
        assert result["grade"] == "C", cond["id"]
        assert cond["id"] in failed(result)


def test_cooperation_years_bound_includes_the_number_itself():
    """一年或以上 includes one year; one hundredth less does not qualify."""
    years = parameters.policy()["credit_grade"]["min_cooperation_years"]
    assert (years["value"], years["bound"]) == (1, "以上")
    assert run("credit-grade", {**_all_a(), "cooperation_years": 1})["grade"] == "A"
    assert run("credit-grade", {**_all_a(), "cooperation_years": 0.99})["grade"] == "B"
    assert run("credit-grade", {**_all_a(), "cooperation_years": 1.01})["grade"] == "A"


def test_rule_reads_the_parameter_file(monkeypatch):
    """A threshold changed in policy.toml changes the decision: nothing is hard-coded."""
    real = parameters.policy()
    changed = json.loads(json.dumps(real))
    changed["credit_grade"]["min_cooperation_years"]["value"] = 3
    monkeypatch.setattr("calc.credit_grade.policy", lambda: changed)
    monkeypatch.setattr("calc.parameters.policy", lambda: changed)
    result = run("credit-grade", {**_all_a(), "cooperation_years": 2})
    assert result["grade"] == "B"
    assert "3年或以上" in result["checks"][0]["text"]


def test_output_explains_itself():
    result = run("credit-grade", _all_a())
    assert result["calculator"] == "credit-grade"
    assert result["policy"] == {"document": "XY-03", "title": "客户信用等级评定办法",
                                "version": parameters.policy()["documents"]["XY-03"]["version"]}
    assert len(result["checks"]) == 13
    for c in result["checks"]:
        assert set(c) == {"id", "clause", "status", "actual", "required", "text"}
        assert c["status"] in {"ok", "fail", "n/a"}
        assert CLAUSE_RE.match(c["clause"]), c["clause"]
        assert c["clause"] in CALCULATORS["credit-grade"].clauses()


def test_schema_lists_red_flag_codes_with_chinese_text():
    schema = CALCULATORS["credit-grade"].schema()
    items = schema["properties"]["red_flags"]["items"]
    codes = [c["code"] for c in parameters.policy()["credit_grade"]["c_conditions"] if "code" in c]
    assert items["enum"] == codes
    assert items["x-labels"]["broken_promises"] == "经常不兑现承诺"
    assert all(p.get("title") for p in schema["properties"].values())


# --- the command line -------------------------------------------------------------

def cli(*args, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "calc", *args], input=stdin, cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")


def test_cli_list():
    proc = cli("--list")
    assert proc.returncode == 0
    listing = {e["name"]: e for e in json.loads(proc.stdout)}
    assert set(listing) == {"credit-grade", "credit-application", "customer-tiering", "tier-terms",
                            "credit-check", "credit-kpi", "report-deadline", "filing-deadline",
                            "attendance-fine"}
    assert listing["credit-grade"]["title"] == "客户信用等级评定"
    assert "XY-03-4-1" in listing["credit-grade"]["clauses"]


def test_cli_runs_from_stdin_and_file(tmp_path):
    case = GRADE["cases"][0]
    proc = cli("credit-grade", stdin=json.dumps(case["input"]))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["grade"] == "A"
    path = tmp_path / "customer.json"
    path.write_text(json.dumps({**case["input"], "red_flags": ["weak_solvency"]}), encoding="utf-8")
    proc = cli("credit-grade", "--input", str(path))
    assert json.loads(proc.stdout)["grade"] == "C"


def test_cli_schema():
    proc = cli("credit-grade", "--schema")
    schema = json.loads(proc.stdout)
    assert schema["properties"]["cooperation_years"]["title"] == "双方业务合作年限"


@pytest.mark.parametrize("args,stdin,words", [
    (("credit-grade",), "{", "不是合法的 JSON"),
    (("credit-grade",), '{"cooperation_years": -1}', "cooperation_years"),
    (("credit-grade",), "[]", "JSON 对象"),
    (("no-such-calculator",), "{}", "未知的计算器"),
    (("credit-grade", "--input", "/nonexistent.json"), "", "无法读取输入文件"),
    (("credit-grade", "--bogus"), "", "命令行参数错误"),
])
def test_cli_bad_input_exits_2_with_one_chinese_line(args, stdin, words):
    proc = cli(*args, stdin=stdin)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert words in proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
