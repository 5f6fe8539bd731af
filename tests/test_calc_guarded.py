"""Every way in (run_json, run_upload, run_form for the page; python -m calc) turns what goes
wrong into the same answers, through one guard (calc.errors.guarded): bad input refused in
one Chinese line naming the field; input too large or deep for the stack or memory refused
as such; a bug in the page one Chinese line, never a traceback."""

import io
import json
import sys

import pytest

import calc.__main__ as cli
from calc import customer_tiering, form_input, registry
from calc.errors import InputError

pytestmark = pytest.mark.cpython

INTERNAL = {"error": "计算器内部错误，请将所填内容与本消息报告给手册维护人", "field": None}
GRADE = {"cooperation_years": 1, "defaults_2y": 0, "lawful_and_reliable": True,
         "good_operation_2y": True, "strong_solvency": True, "meets_annual_targets": True}


def _raises(error):
    def raise_(*args, **kwargs):
        raise error
    return raise_


@pytest.fixture(params=["refusal", "recursion", "memory", "bug"])
def trouble(request):
    return request.param


def _error(kind: str, field=None):
    return {"refusal": InputError(field, "某字段：有误"), "recursion": RecursionError(),
            "memory": MemoryError(), "bug": KeyError("x")}[kind]


def test_run_json(monkeypatch, trouble):
    monkeypatch.setattr(registry, "run", _raises(_error(trouble, "cooperation_years")))
    out = json.loads(registry.run_json("credit-grade", json.dumps(GRADE)))
    assert out == {
        "refusal": {"error": "某字段：有误", "field": "cooperation_years"},
        "recursion": {"error": "输入过大或过于复杂，无法计算", "field": None},
        "memory": {"error": "输入过大或过于复杂，无法计算", "field": None},
        "bug": INTERNAL,
    }[trouble]


def test_run_upload(monkeypatch, trouble):
    monkeypatch.setattr(customer_tiering, "upload", _raises(_error(trouble, "CSV")))
    out = json.loads(registry.run_upload("customer-tiering", b"id,score\r\nK1,5\r\n"))
    assert out == {
        "refusal": {"error": "某字段：有误", "field": "CSV"},
        "recursion": {"error": "文件过大或过于复杂，无法计算", "field": "CSV"},
        "memory": {"error": "文件过大或过于复杂，无法计算", "field": "CSV"},
        "bug": INTERNAL,
    }[trouble]


def test_run_form(monkeypatch, trouble):
    """The form's refusals list every bad field (errors) for the page to mark each; one that
    is about the whole input names none."""
    monkeypatch.setattr(form_input, "convert", _raises(_error(trouble, "cooperation_years")))
    out = json.loads(registry.run_form("credit-grade", json.dumps({"cooperation_years": "1"})))
    whole = {"error": "输入过大或过于复杂，无法计算", "field": None,
             "errors": [{"field": None, "message": "输入过大或过于复杂，无法计算"}]}
    assert out == {
        "refusal": {"error": "某字段：有误", "field": "cooperation_years",
                    "errors": [{"field": "cooperation_years", "message": "某字段：有误"}]},
        "recursion": whole,
        "memory": whole,
        "bug": INTERNAL,
    }[trouble]


def test_the_command_line(monkeypatch, capsys, trouble):
    """Refused: exit 2, one line on stderr, nothing on stdout. A bug is not hidden from the
    command line's user: it propagates (with its traceback)."""
    monkeypatch.setattr(cli, "run", _raises(_error(trouble, "cooperation_years")))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(GRADE).encode())))
    if trouble == "bug":
        with pytest.raises(KeyError):
            cli.main(["credit-grade"])
        return
    assert cli.main(["credit-grade"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == {"refusal": "某字段：有误\n", "recursion": "输入过大或过于复杂，无法计算\n",
                   "memory": "输入过大或过于复杂，无法计算\n"}[trouble]


def test_the_command_line_says_when_it_cannot_write(monkeypatch, capsys):
    def closed(obj):
        raise cli.OutputError("标准输出已关闭")
    monkeypatch.setattr(cli, "_emit", closed)
    monkeypatch.setattr(cli, "_drop_stdout", lambda: None)
    assert cli.main(["--list"]) == 1
    assert capsys.readouterr().err == "无法写出结果：标准输出已关闭\n"
