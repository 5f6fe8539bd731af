"""客户资料报送期限 (KH-03 第二十一条至第二十三条): business units report by the 6th and
the service department's summary is due by the 8th of the month after the period. A due
day that is a rest day is not moved later: the report goes in on the last working day
before it."""

import datetime as dt

from calc.checks import check
from calc.errors import InputError
from calc.parameters import document, policy, quantity

NAME = "report-deadline"
TITLE = "客户资料报送期限"
OUTCOME = "due"
_QUARTER_ENDS = (3, 6, 9, 12)


def _rules() -> dict:
    return policy()["reporting"]


def clauses() -> list[str]:
    r = _rules()
    return [r["unit_due_day"]["clause"], r["summary_due_day"]["clause"], r["monthly"]["clause"],
            r["holiday_rule"]["clause"]]


def schema() -> dict:
    r = _rules()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": TITLE, "type": "object", "additionalProperties": False,
        "required": ["period_end", "reporter", "frequency"],
        "properties": {
            "period_end": {"type": "string", "format": "date", "title": "报告期末日",
                           "description": "季度或月度的最后一天，如 2026-03-31",
                           "x-clause": r["unit_due_day"]["clause"]},
            "reporter": {"type": "string", "enum": ["unit", "group"], "title": "报送方",
                         "x-labels": {"unit": "各业务单位（报送本单位报表）", "group": "客服部（报出汇总表）"},
                         "description": f"各业务单位于次月{quantity(r['unit_due_day'])}以前报送；客服部于次月{quantity(r['summary_due_day'])}以前报出汇总",
                         "x-clause": r["summary_due_day"]["clause"]},
            "frequency": {"type": "string", "enum": ["quarterly", "monthly"], "title": "报送周期",
                          "x-labels": {"quarterly": "季度", "monthly": "月度"},
                          "description": "按季度报送，或按月报送（按月报送的单位见 KH-03）",
                          "x-clause": r["monthly"]["clause"]},
            "holidays": {"type": "array", "default": [], "uniqueItems": True, "title": "法定节假日",
                         "description": "期限附近的法定节假日（可选），用于推算最迟报送的工作日",
                         "items": {"type": "string", "format": "date", "title": "节假日"},
                         "x-clause": r["holiday_rule"]["clause"]},
        },
    }


def _month_after(day: dt.date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def evaluate(data: dict) -> dict:
    r = _rules()
    end = dt.date.fromisoformat(data["period_end"])
    year, month = _month_after(end)
    if dt.date(year, month, 1) - dt.timedelta(days=1) != end:
        raise InputError("period_end", f"应为月末日期，收到 {data['period_end']}", "报告期末日")
    if data["frequency"] == "quarterly" and end.month not in _QUARTER_ENDS:
        raise InputError("period_end", f"按季度报送时应为季度末（3、6、9、12月的最后一天），收到 {data['period_end']}",
                         "报告期末日")
    param = r["unit_due_day"] if data["reporter"] == "unit" else r["summary_due_day"]
    due = dt.date(year, month, param["value"])
    holidays = {dt.date.fromisoformat(h) for h in data["holidays"]}
    submit_by = due
    while submit_by.weekday() >= 5 or submit_by in holidays:
        submit_by -= dt.timedelta(days=1)
    who = "各业务单位" if data["reporter"] == "unit" else "客服部汇总"
    period = "季度" if data["frequency"] == "quarterly" else "月度"
    checks = [
        check("due", param["clause"], True, data["period_end"], f"次月{quantity(param)}以前",
              f"{who}{period}报表：期间结束后次月{quantity(param)}以前（含当日）"),
        check("rest_day", r["holiday_rule"]["clause"], None if submit_by == due else True,
              submit_by.isoformat(), due.isoformat(),
              "期限日为工作日" if submit_by == due else
              f"期限日 {due.isoformat()} 为休息日或节假日，最迟于此前最近的工作日 {submit_by.isoformat()} 报送"),
    ]
    return {
        "calculator": NAME,
        "policy": document(r["document"]),
        "due": due.isoformat(),
        "submit_by": submit_by.isoformat(),
        "reason": f"{who}的{period}报表最迟于 {due.isoformat()} 报送"
                  + ("" if submit_by == due else f"（该日为休息日，应于 {submit_by.isoformat()} 报送）"),
        "checks": checks,
    }
