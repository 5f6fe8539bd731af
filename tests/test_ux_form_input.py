"""Input as people type it (calc.form_input, registry.run_form), in CPython: full-width
digits, thousands separators, 元 and ¥, 万, percent in percent, dates in the usual Chinese
ways, and "没有这一天" for a real-looking but impossible date."""

import json

import pytest

from calc import form_input
from calc.registry import run_form

pytestmark = pytest.mark.cpython

AMOUNT = {"type": "number", "minimum": 0, "title": "本单金额", "x-unit": "元"}
YEARS = {"type": "number", "minimum": 0, "title": "双方业务合作年限", "x-unit": "年"}
COUNT = {"type": "integer", "minimum": 0, "title": "违约次数", "x-unit": "次"}
FRACTION = {"type": "number", "minimum": 0, "maximum": 1, "title": "比例上限", "x-unit": "%"}
PERCENT = {"type": "number", "minimum": 0, "maximum": 100, "title": "比例上限", "x-unit": "%"}


@pytest.mark.parametrize("typed, value", [
    ("10000", 10000), ("１００００", 10000), ("10,000", 10000), ("10，000", 10000),
    ("10,000元", 10000), ("¥10,000", 10000), ("￥10,000.50", 10000.5), ("1万", 10000),
    ("1.5万", 15000), ("1.5万元", 15000), ("0.01", 0.01), (" 1,234,567.89 ", 1234567.89),
])
def test_amounts_as_typed(typed, value):
    assert form_input.number(typed, AMOUNT) == value


@pytest.mark.parametrize("typed", ["一万二", "1万2", "10,00", "1.2.3", "10000美元", "", "15%"])
def test_not_an_amount(typed):
    with pytest.raises(form_input.FieldError):
        form_input.number(typed, AMOUNT)


def test_wan_only_where_an_amount_is_asked():
    with pytest.raises(form_input.FieldError):
        form_input.number("1万", YEARS)


@pytest.mark.parametrize("typed, value", [("３", 3), ("3年", 3), ("1.5", 1.5), ("０.５", 0.5)])
def test_years_full_width_and_unit(typed, value):
    assert form_input.number(typed, YEARS) == value


def test_integer_field_rejects_a_fraction():
    assert form_input.number("２次", COUNT) == 2
    with pytest.raises(form_input.FieldError, match="整数"):
        form_input.number("1.5", COUNT)


@pytest.mark.parametrize("typed, value", [("15", 0.15), ("15%", 0.15), ("１５％", 0.15), ("10", 0.1), ("0", 0)])
def test_percent_fields_take_percent_even_when_the_schema_keeps_a_fraction(typed, value):
    assert form_input.number(typed, FRACTION) == value


def test_percent_field_that_takes_percent():
    assert form_input.number("15%", PERCENT) == 15
    assert form_input.number("15", PERCENT) == 15


@pytest.mark.parametrize("typed", ["2026-9-30", "2026/9/30", "2026.9.30", "2026年9月30日", "2026年09月30日",
                                   "２０２６年９月３０日", "2026-09-30", "2026 年 9 月 30 日"])
def test_dates_as_typed(typed):
    assert form_input.date(typed) == "2026-09-30"


def test_an_impossible_date_is_not_a_format_error():
    with pytest.raises(form_input.FieldError, match="没有这一天"):
        form_input.date("2026-02-30")
    with pytest.raises(form_input.FieldError, match="没有这一天"):
        form_input.date("2026年4月31日")
    assert form_input.date("2028-2-29") == "2028-02-29"  # a leap year has it
    with pytest.raises(form_input.FieldError, match="没有这一天"):
        form_input.date("2027-2-29")


@pytest.mark.parametrize("typed", ["9月30日", "2026-9", "明天", "30/9/2026"])
def test_not_a_date(typed):
    with pytest.raises(form_input.FieldError, match="应为日期"):
        form_input.date(typed)


# --- through the registry, as the page calls it -----------------------------------------

def form(name, **fields):
    return json.loads(run_form(name, json.dumps(fields, ensure_ascii=False)))


GRADE_A = dict(cooperation_years="1", defaults_2y="0", lawful_and_reliable=True, good_operation_2y=True,
               strong_solvency=True, meets_annual_targets=True, red_flags=[])


def test_full_width_years_give_the_same_grade_as_ascii():
    # XY-03 第四条（一）: A requires 1 year or more of cooperation; "１" is 1.
    assert form("credit-grade", **{**GRADE_A, "cooperation_years": "１"})["grade"] == "A"
    assert form("credit-grade", **{**GRADE_A, "cooperation_years": "1年"})["grade"] == "A"
    assert form("credit-grade", **{**GRADE_A, "cooperation_years": "0.9"})["grade"] != "A"


def test_errors_name_the_field_by_its_title_and_list_every_bad_field():
    answer = form("credit-grade", **{**GRADE_A, "cooperation_years": "三年", "defaults_2y": ""})
    assert answer["field"] == "cooperation_years"
    assert answer["error"].startswith("双方业务合作年限：") and "三年" in answer["error"]
    assert [e["field"] for e in answer["errors"]] == ["cooperation_years", "defaults_2y"]
    assert answer["errors"][1]["message"] == "请填写过去2年内违约次数"
    assert "cooperation_years" not in json.dumps([e["message"] for e in answer["errors"]], ensure_ascii=False)


def test_impossible_date_through_the_registry():
    answer = form("filing-deadline", kind="new", start="2026-02-30", holidays="")
    assert answer["field"] == "start" and "没有这一天" in answer["error"]


def test_dates_and_holidays_as_typed_give_the_iso_answer():
    iso = form("filing-deadline", kind="new", start="2026-09-28", holidays="2026-10-01, 2026-10-02")
    typed = form("filing-deadline", kind="new", start="2026年9月28日", holidays="2026/10/1、2026年10月2日")
    assert "error" not in typed
    assert typed["form_input"]["start"] == "2026-09-28"
    assert typed["form_input"]["holidays"] == ["2026-10-01", "2026-10-02"]
    assert {k: v for k, v in typed.items() if k != "form_input"} == {k: v for k, v in iso.items() if k != "form_input"}


def test_amounts_with_units_reach_the_credit_check_as_numbers():
    answer = form("credit-check", credit_limit="", receivables="¥10,000", open_orders="1.5万元",
                  open_deliveries="", order_value="１００００", risk_category="N")
    assert "error" not in answer, answer
    read = answer["form_input"]
    assert (read["credit_limit"], read["receivables"], read["open_orders"], read["order_value"]) == (None, 10000, 15000, 10000)


def test_a_required_choice_left_empty_says_choose():
    answer = form("tier-terms", tier="", late_payments_quarter="")
    assert answer["errors"] == [{"field": "tier", "message": "请选择客户价值分级"}]


# --- long integers (reliability review N14) -----------------------------------------------

def test_a_29_digit_integer_is_read_exactly():
    """Decimal's default precision (28 digits) rounded 9×29 up to 10^29."""
    answer = form("tier-terms", tier="B", prior_downgrades="9" * 29)
    assert answer["form_input"]["prior_downgrades"] == int("9" * 29)
    assert form_input.number("9" * 29 + "万", AMOUNT) == int("9" * 29) * 10_000
    assert form_input.number("1" + "0" * 40 + ".5", AMOUNT) == float("1" + "0" * 40 + ".5")


@pytest.mark.parametrize("digits", [form_input.MAX_DIGITS, form_input.MAX_DIGITS + 1, 5000])
def test_a_very_long_integer_gets_the_fields_message_not_an_internal_error(digits):
    answer = form("tier-terms", tier="B", prior_downgrades="9" * digits)
    assert "计算器内部错误" not in json.dumps(answer, ensure_ascii=False)
    if digits > form_input.MAX_DIGITS:
        assert answer["errors"] == [{"field": "prior_downgrades",
                                     "message": f"本年度已降级次数：数字位数过多（最多 {form_input.MAX_DIGITS:,} 位）"}]
    else:
        assert answer["form_input"]["prior_downgrades"] == int("9" * digits)


def test_a_unit_that_makes_a_number_too_long_is_the_fields_message():
    answer = form("credit-check", credit_limit="9" * (form_input.MAX_DIGITS - 1) + "万", receivables="0",
                  open_orders="0", order_value="1", risk_category="N")
    assert answer["field"] == "credit_limit" and "数字位数过多" in answer["error"]
