"""客户备案期限 (KH-03 第八条、第九条): a new customer is filed with the marketing
department, and a change reported, within so many working days, counted from the day
after the first contact (or after learning of the change). Working days follow the
official calendar, holidays and make-up working days included (KH-03 第二十三条（二）)."""

import datetime as dt

from calc import engine
from calc.parameters import Rules, policy, quantity
from calc.workdays import Calendar

NAME = "filing-deadline"
TITLE = "客户备案期限"
SECTION = "reporting"
OUTCOME = "due"
_KINDS = {"new": "new_customer_filing_days", "change": "change_filing_days"}
_WHAT = {"new": "新客户备案", "change": "客户信息变动反馈"}


def clauses() -> list[str]:
    r = policy()[SECTION]
    return ([r[p]["clause"] for p in _KINDS.values()] + [r["holiday_rule"]["clause"], r["forward_days"]["clause"],
            r["official_calendar"]["clause"]])


def schema() -> dict:
    r = policy()[SECTION]
    return engine.form(
        __name__,
        required=["kind", "start"],
        properties={
            "kind": {"type": "string", "enum": list(_KINDS), "title": "事项",
                     "x-labels": {"new": f"新客户备案（《客户基本信息表》，{quantity(r['new_customer_filing_days'])}以内）",
                                  "change": f"客户信息变动（《客户信息维护表》，{quantity(r['change_filing_days'])}以内）"},
                     "description": "新接触的客户，或已备案客户的信息变动",
                     "x-clause": r["new_customer_filing_days"]["clause"]},
            "start": {"type": "string", "format": "date", "title": "首次接触或知悉变动的日期",
                      "description": "期限自此日的次日起算", "x-clause": r["new_customer_filing_days"]["clause"]},
            # The input keeps its name; since the official calendar is built in, it holds only
            # the company's own extra closing days.
            "holidays": {"type": "array", "default": [], "uniqueItems": True, "title": "本公司另定的休息日",
                         "description": "国家法定节假日和调休上班日已按国务院公布的安排计入，无需填写；"
                                        "此处只填本公司另行安排的休息日（可选），不计入工作日",
                         "items": {"type": "string", "format": "date", "title": "休息日"},
                         "x-clause": r["holiday_rule"]["clause"]},
        })


def evaluate(data: dict, rules: Rules) -> dict:
    r = rules[SECTION]
    param = r[_KINDS[data["kind"]]]
    cal = Calendar(data["holidays"])
    start = dt.date.fromisoformat(data["start"])
    due = cal.after(start, param["value"])   # 以内: the last working day counted is still in time
    what = _WHAT[data["kind"]]
    checks = [engine.info("due", param["clause"], label=param["label"], actual=due.isoformat(),
                          required=f"{quantity(param)}以内",
                          text=f"{what}：自 {data['start']} 次日起算{quantity(param)}，"
                               "不含休息日、法定节假日和本公司另定的休息日，含调休上班日")]
    # KH-03 第八条（二）、第九条（一）: the marketing department then has its own period to pass
    # the form on, counted from the day after it receives it; at the latest, from `due`.
    fwd = r["forward_days"]
    fwd_cal = Calendar(data["holidays"])   # its own notice: `calendar_covered` is about `due`
    forward_by = fwd_cal.after(due, fwd["value"])
    uncovered = "（该日所在年份的放假安排尚未收录，按周末和固定日期的节日推算）" if fwd_cal.notice() else ""
    checks.append(engine.info("forward", fwd["clause"], label=fwd["label"], actual=forward_by.isoformat(),
                              required=f"{quantity(fwd)}以内",
                              text=f"{fwd['label']}：收到表单次日起{quantity(fwd)}；表单于 {due.isoformat()} "
                                   f"送到时，最迟于 {forward_by.isoformat()} 转交{uncovered}"))
    notice = cal.notice()
    if notice:
        official = r["official_calendar"]
        checks.append(engine.info("calendar", official["clause"], label=official["label"], text=notice))
    headline = f"最迟于 {due.isoformat()} 完成"
    if notice:   # provisional until the year's schedule is in the data: said in the headline
        headline = "暂定" + headline + cal.provisional()
    return engine.result(__name__, due.isoformat(), rules=rules, headline=headline,
                         reason=f"{what}最迟于 {due.isoformat()} 完成（{data['start']} 次日起 {quantity(param)}）",
                         checks=checks, calendar_covered=notice is None, forward_by=forward_by.isoformat())
