"""客户备案期限 (KH-03 第八条、第九条): a new customer is filed with the marketing
department, and a change reported, within so many working days, counted from the day
after the first contact (or after learning of the change)."""

import datetime as dt

from calc.checks import check
from calc.parameters import document, policy, quantity

NAME = "filing-deadline"
TITLE = "客户备案期限"
OUTCOME = "due"
_KINDS = {"new": "new_customer_filing_days", "change": "change_filing_days"}


def _rules() -> dict:
    return policy()["reporting"]


def clauses() -> list[str]:
    return [_rules()[p]["clause"] for p in _KINDS.values()]


def schema() -> dict:
    r = _rules()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": TITLE, "type": "object", "additionalProperties": False, "required": ["kind", "start"],
        "properties": {
            "kind": {"type": "string", "enum": list(_KINDS), "title": "事项",
                     "x-labels": {"new": f"新客户备案（《客户基本信息表》，{quantity(r['new_customer_filing_days'])}以内）",
                                  "change": f"客户信息变动（《客户信息维护表》，{quantity(r['change_filing_days'])}以内）"},
                     "description": "新接触的客户，或已备案客户的信息变动",
                     "x-clause": r["new_customer_filing_days"]["clause"]},
            "start": {"type": "string", "format": "date", "title": "首次接触或知悉变动的日期",
                      "description": "期限自此日的次日起算", "x-clause": r["new_customer_filing_days"]["clause"]},
            "holidays": {"type": "array", "default": [], "uniqueItems": True, "title": "法定节假日",
                         "description": "期间内的法定节假日（可选），不计入工作日",
                         "items": {"type": "string", "format": "date", "title": "节假日"}},
        },
    }


def evaluate(data: dict) -> dict:
    param = _rules()[_KINDS[data["kind"]]]
    holidays = {dt.date.fromisoformat(h) for h in data["holidays"]}
    day, left = dt.date.fromisoformat(data["start"]), param["value"]
    while left:   # 以内: the last working day counted is still in time
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    what = "新客户备案" if data["kind"] == "new" else "客户信息变动反馈"
    return {
        "calculator": NAME,
        "policy": document(_rules()["document"]),
        "due": day.isoformat(),
        "reason": f"{what}最迟于 {day.isoformat()} 完成（{data['start']} 次日起 {quantity(param)}）",
        "checks": [check("due", param["clause"], True, data["start"], f"{quantity(param)}以内",
                         f"{what}：自 {data['start']} 次日起算{quantity(param)}，不含休息日和法定节假日")],
    }
