"""Inputs that must not break the calculators (issue 9, reliability review F2, F6, F10, F11,
F14, F15): each ends in an answer (exit 0) or a refusal (exit 2, one Chinese line on
stderr, nothing on stdout), through the CLI, run_json and run_upload alike, quickly."""

import json
import os
import re
import subprocess
import sys
import time

import pytest

from calc import csv_table
from calc.registry import CALCULATORS, MAX_INPUT_CHARS, run_json, run_upload
from calc.csv_table import MAX_ROWS
from calc.schema import MAX_DEPTH, MAX_ITEMS, MAX_STRING
from tests import cases
from tests.support import ROOT

pytestmark = pytest.mark.cpython

GRADE_OK = {"cooperation_years": 1, "defaults_2y": 0, "lawful_and_reliable": True,
            "good_operation_2y": True, "strong_solvency": True, "meets_annual_targets": True}


def cli(name: str, stdin: bytes, *args) -> subprocess.CompletedProcess:
    # A strict C locale: the CLI must not depend on the terminal's encoding.
    return subprocess.run([sys.executable, "-m", "calc", name, *args], input=stdin, cwd=ROOT,
                          capture_output=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "LC_ALL": "C",
                               "PYTHONIOENCODING": "ascii:strict", "PYTHONUTF8": "0"})


def refused(proc: subprocess.CompletedProcess, name: str, words: str) -> str:
    assert proc.returncode == 2, proc.stderr.decode("utf-8", "replace")
    assert proc.stdout == b""
    message = proc.stderr.decode("utf-8")
    assert message.count("\n") == 1 and "Traceback" not in message
    assert words in message
    assert cases.message_problems(CALCULATORS[name].schema(), message.strip()) == [], message
    return message


# (calculator, JSON text, words of the refusal)
HOSTILE_JSON = [
    ("credit-grade", "[" * 100_000, f"嵌套层数过多（最多 {MAX_DEPTH} 层）"),
    ("credit-grade", '{"a":' * 50_000, "嵌套层数过多"),
    ("credit-grade", json.dumps({**GRADE_OK})[:-1] + ', "x": ' + "[" * 40 + "]" * 40 + "}", "嵌套层数过多"),
    ("credit-grade", '{"cooperation_years": ' + "9" * 5000 + "}", "数字位数过多"),
    ("customer-tiering", '{"customers": [{"id": "\\ud800", "score": 5}]}', "客户编号：含有无效的字符"),
    ("credit-grade", '{"\\udfff": 1}', "未知字段"),
    ("credit-grade", "{", "不是合法的 JSON"),
    ("credit-grade", "NaN", "输入应为一个 JSON 对象"),
    ("credit-grade", json.dumps({**GRADE_OK, "cooperation_years": 1e999}).replace("Infinity", "1e999"),
     "双方业务合作年限：应为有限的数字"),
    ("credit-grade", json.dumps({k: v for k, v in GRADE_OK.items() if k != "cooperation_years"}),
     "请填写双方业务合作年限"),
    ("credit-check", '{"credit_limit": "十万", "receivables": 0, "open_orders": 0, "order_value": 1,'
                     ' "risk_category": "X1"}', "信用额度：应为数字"),
    ("attendance-fine", json.dumps({"late_minutes": [5] * (MAX_ITEMS + 1)}), "本月各次迟到的分钟数：最多"),
    ("customer-tiering", json.dumps({"customers": [{"id": f"C{i}", "score": 1} for i in range(MAX_ROWS + 1)]}),
     f"参评客户：最多 {MAX_ROWS} 项"),
    ("customer-tiering", json.dumps({"customers": [{"id": "x" * (MAX_STRING + 1), "score": 1}]}),
     f"参评客户第 1 项的客户编号：过长（最多 {MAX_STRING} 个字符）"),
    ("customer-tiering", json.dumps({"customers": [{"id": "K1", "score": "高"}]}), "参评客户第 1 项的总分：应为数字"),
]


@pytest.mark.parametrize("name,text,words", HOSTILE_JSON, ids=lambda x: x[:30] if isinstance(x, str) else None)
def test_hostile_json_is_refused_by_run_json(name, text, words):
    start = time.monotonic()
    out = json.loads(run_json(name, text))
    assert time.monotonic() - start < 10
    assert set(out) == {"error", "field"}, out
    assert words in out["error"]
    assert cases.message_problems(CALCULATORS[name].schema(), out["error"], text) == [], out["error"]


@pytest.mark.parametrize("name,text,words", HOSTILE_JSON[:6] + HOSTILE_JSON[9:12],
                         ids=lambda x: x[:30] if isinstance(x, str) else None)
def test_hostile_json_is_refused_by_the_cli(name, text, words):
    refused(cli(name, text.encode("utf-8")), name, words)


def test_field_path_travels_beside_the_message():
    out = json.loads(run_json("customer-tiering", json.dumps({"customers": [{"id": "K1", "score": 101}]})))
    assert out["field"] == "customers[0].score"
    assert "customers" not in out["error"]


@pytest.mark.parametrize("data,words", [
    (b"\xff\xfe{}", "标准输入不是 UTF-8 编码"),
    (b'{"cooperation_years": "\xe4\xb8"}', "不是 UTF-8 编码"),
    (b" " * (MAX_INPUT_CHARS + 1), "输入过大"),
])
def test_cli_refuses_unreadable_or_huge_stdin(data, words):
    refused(cli("credit-grade", data), "credit-grade", words)


def test_cli_answers_utf8_with_bom_under_a_strict_locale():
    proc = cli("credit-grade", "\ufeff".encode() + json.dumps(GRADE_OK).encode())
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout.decode("utf-8"))["headline"]


def test_cli_input_file_errors_are_chinese(tmp_path):
    bad = tmp_path / "gbk.json"
    bad.write_bytes('{"客户": 1}'.encode("gb18030"))
    refused(cli("credit-grade", b"", "--input", str(bad)), "credit-grade", "输入文件不是 UTF-8 编码")
    refused(cli("credit-grade", b"", "--input", str(tmp_path)), "credit-grade", "这是一个文件夹")


# --- the CSV upload (customer-tiering) ------------------------------------------------

def upload(text: str | bytes) -> dict:
    data = text.encode("utf-8") if isinstance(text, str) else text
    start = time.monotonic()
    out = json.loads(run_upload("customer-tiering", data))
    assert time.monotonic() - start < 20
    return out


def ranked_ids(out: dict) -> list[str]:
    """The download's first column (the ranked list: the upload answer carries no objects)."""
    return [line.split(",")[0] for line in out["csv"].lstrip("\ufeff").splitlines()[1:]]


def test_csv_with_cr_only_line_endings_is_read():
    out = upload("客户编号,总分\r甲,90\r乙,80\r")
    assert ranked_ids(out) == ["甲", "乙"]


@pytest.mark.parametrize("text,words", [
    ('客户编号,总分\n甲,"' + "x" * 200_000 + '"\n', "第 2 行无法读取"),
    ("客户编号,总分,总分\n甲,90,80\n", "“总分”出现了两次"),
    ("客户编号,总分\n", "只有表头，没有数据行"),
    ("", "文件是空的"),
    ("客户编号,总分\n" + "".join(f"C{i},50\n" for i in range(csv_table.MAX_ROWS + 1)), "数据行过多"),
])
def test_csv_that_cannot_be_read_as_a_table_is_refused(text, words):
    out = upload(text)
    assert set(out) == {"error", "field"} and out["field"] == "CSV"
    assert words in out["error"]


def test_csv_file_over_the_size_limit_is_refused():
    out = upload(b"a" * (csv_table.MAX_FILE_BYTES + 1))
    assert "文件过大" in out["error"]


@pytest.mark.parametrize("cell", ["nan", "inf", "-inf", "1e999", "NaN", "Infinity", "1,5", "9_0"])
def test_csv_number_that_is_not_a_number_is_a_row_error(cell):
    """F2, F15: never ranked (nan ranked first before), never read loosely ("1,5" as 15);
    issue 18: and the others are not tiered without it."""
    out = upload(f'客户编号,总分\n甲,"{cell}"\n乙,80\n丙,70\n')
    assert out["result"] is None and out["csv"] is None and out["field"] == "CSV"
    assert [e["line"] for e in out["row_errors"]] == [2]
    assert "inf" not in out["problems"][0]["message"].replace(cell, "")


@pytest.mark.parametrize("cell", ["nan", "inf", "1e999", "9_0"])
def test_csv_item_that_is_not_a_number_is_a_chinese_row_error(cell):
    """F14: nan in an integer column gave English ("cannot convert float NaN to integer")."""
    out = upload(f"客户编号,sales_scale,payment_record\n甲,5,{cell}\n乙,4,3\n")
    assert [e["line"] for e in out["row_errors"]] == [2]
    schema = CALCULATORS["customer-tiering"].schema()
    for message in [out["error"], out["row_errors"][0]["message"], *(p["message"] for p in out["problems"])]:
        assert cases.message_problems(schema, message, "sales_scale payment_record") == []


def test_largest_allowed_list_is_answered_in_bounded_time():
    customers = [{"id": f"C{i:05d}", "score": i % 101} for i in range(MAX_ITEMS)]
    start = time.monotonic()
    out = json.loads(run_json("customer-tiering", json.dumps({"customers": customers})))
    assert sum(out["tiers"].values()) == MAX_ITEMS
    assert time.monotonic() - start < 30


# --- the command line's edges (reliability review N15, N21) ---------------------------------

def cli_raw(args, data: bytes | None = b"", **kwargs) -> subprocess.CompletedProcess:
    if data is not None:
        kwargs["input"] = data
    return subprocess.run([sys.executable, "-m", "calc", *args], cwd=ROOT, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "LC_ALL": "C",
                               "PYTHONIOENCODING": "ascii:strict", "PYTHONUTF8": "0"}, **kwargs)


def one_chinese_line(stderr: bytes, words: str) -> None:
    message = stderr.decode("utf-8")
    assert message.count("\n") == 1 and "Traceback" not in message and "Error" not in message, message
    assert words in message, message


TIER_A = json.dumps({"tier": "A"}).encode()


def test_a_newline_in_a_text_value_gives_one_line():
    """N15: service-rating quoted the rating as typed, line break included, in full."""
    data = {"attitude": ["满意\n第二行"], "skill": ["满意"], "arrival_time": ["满意"], "follow_through": ["满意"]}
    message = refused(cli("service-rating", json.dumps(data, ensure_ascii=False).encode()), "service-rating",
                      "服务态度第 1 份")
    assert '"满意\\n第二行"不是满意等级' in message
    data["attitude"] = ["满" * 1000]
    message = refused(cli("service-rating", json.dumps(data, ensure_ascii=False).encode()), "service-rating",
                      "不是满意等级")
    assert len(message) < 200


def test_writing_to_a_full_device_exits_cleanly():
    with open("/dev/full", "wb") as full:
        proc = cli_raw(["tier-terms"], TIER_A, stdout=full, stderr=subprocess.PIPE)
    assert proc.returncode == 1
    one_chinese_line(proc.stderr, "无法写出结果：磁盘已满")


def test_writing_to_a_closed_stdout_exits_cleanly():
    proc = cli_raw(["tier-terms"], TIER_A, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   preexec_fn=lambda: os.close(1))
    assert proc.returncode == 1
    one_chinese_line(proc.stderr, "无法写出结果：标准输出已关闭")


def test_writing_to_a_pipe_closed_by_its_reader_exits_cleanly():
    customers = [{"id": f"C{i:05d}", "score": i % 101} for i in range(3000)]   # more than a pipe holds
    proc = subprocess.Popen([sys.executable, "-m", "calc", "customer-tiering"], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    proc.stdout.close()
    _, err = proc.communicate(json.dumps({"customers": customers}).encode(), timeout=60)
    assert proc.returncode == 1
    one_chinese_line(err, "无法写出结果：读取输出的一方已关闭")


def test_a_closed_stdin_is_a_chinese_message():
    proc = cli_raw(["tier-terms"], None, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                   preexec_fn=lambda: os.close(0))
    assert proc.returncode == 2 and proc.stdout == b""
    one_chinese_line(proc.stderr, "标准输入已关闭")


def test_input_from_a_named_pipe_is_refused_without_waiting(tmp_path):
    """A pipe nobody writes to blocked the command forever; a pipe or device is not a file."""
    fifo = tmp_path / "input.json"
    os.mkfifo(fifo)
    start = time.monotonic()
    proc = cli("tier-terms", b"", "--input", str(fifo))
    assert time.monotonic() - start < 20
    refused(proc, "tier-terms", "这是命名管道，不是普通文件")
    refused(cli("tier-terms", b"", "--input", "/dev/zero"), "tier-terms", "这是设备或套接字，不是普通文件")
    regular = tmp_path / "ok.json"
    regular.write_bytes(TIER_A)
    assert cli("tier-terms", b"", "--input", str(regular)).returncode == 0


def test_help_is_chinese_under_a_strict_locale():
    proc = cli_raw(["--help"], capture_output=True)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0 and out.startswith("用法：python -m calc"), proc.stderr
    assert "显示本帮助并退出" in out and "位置参数" in out
    assert not re.search(r"usage|show this help|positional arguments|options:", out)


@pytest.mark.parametrize("args,words", [(["--bogus"], "无法识别的参数：--bogus"),
                                        (["tier-terms", "--input"], "参数 --input：需要一个值")])
def test_argument_errors_are_chinese(args, words):
    proc = cli_raw(args, capture_output=True)
    assert proc.returncode == 2 and proc.stdout == b""
    one_chinese_line(proc.stderr, words)
    assert not re.search(r"unrecognized|expected|argument", proc.stderr.decode("utf-8"))
