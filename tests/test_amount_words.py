"""中文大写金额 (calc/amount_words.py) against 《正确填写票据和结算凭证的基本规定》: each zero
rule on both sides, 整 after 元 and 角 but never after 分, 壹拾. The examples are data
(tests/data/amount-words.json) so the page's forms can run the same ones in Pyodide."""

import json
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest

from calc.amount_words import rmb_upper
from tests.support import ROOT

pytestmark = pytest.mark.cpython

DATA = json.loads((ROOT / "tests" / "data" / "amount-words.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("amount,words,rule", DATA["examples"], ids=[e[0] for e in DATA["examples"]])
def test_amount_in_words(amount, words, rule):
    assert rmb_upper(Decimal(amount)) == words, rule
    assert rmb_upper(amount) == words            # a string, as typed
    assert rmb_upper(Fraction(amount)) == words


@pytest.mark.parametrize("amount,words", DATA["refused"])
def test_refused_amounts_say_why(amount, words):
    with pytest.raises(ValueError, match=words):
        rmb_upper(Decimal(amount))


def test_floats_are_read_by_their_decimal_form():
    assert rmb_upper(1234.56) == "人民币壹仟贰佰叁拾肆元伍角陆分"   # not 1234.5599999…
    with pytest.raises(ValueError, match="最多保留到分"):
        rmb_upper(2.675)


def test_every_written_zero_is_followed_by_a_digit_and_no_two_in_a_row():
    for n in list(range(0, 20001, 7)) + [10**k + j for k in range(4, 16) for j in (0, 1, 10, 100, 1000)]:
        words = rmb_upper(n)
        assert "零零" not in words and not words.endswith("零元整") or n == 0
        assert "零元" not in words or n == 0        # 元位 zero never written before 元


def test_command_line():
    run = lambda *a: subprocess.run([sys.executable, "-m", "calc.amount_words", *a], cwd=ROOT,
                                    capture_output=True, text=True)
    ok = run("1,234,567.89")
    assert ok.returncode == 0 and ok.stdout.strip() == "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"
    bad = run("abc")
    assert bad.returncode == 2 and bad.stdout == "" and "不是金额" in bad.stderr
