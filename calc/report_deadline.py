"""客户资料报送期限 (KH-03 第二十一条至第二十三条): business units report by the 6th and
the service department's summary is due by the 8th of the month after the period.

A due day that is a rest day moves to the next working day (KH-03 第二十三条（二）, the
reading of 民法典 第二百零三条), so a deadline is always a working day after the period.
The summary is due at least one working day after the units' deadline (第二十三条（四）):
when the units' deadline moves up to or past the 8th, the summary moves with it."""

import datetime as dt

from calc import engine
from calc.errors import InputError
from calc.parameters import Rules, policy, quantity, roster
from calc.workdays import Calendar

NAME = "report-deadline"
TITLE = "客户资料报送期限"
SECTION = "reporting"
OUTCOME = "due"
_QUARTER_ENDS = (3, 6, 9, 12)
# Who reports, by roster id (calc/company.toml), so a renamed unit is renamed here too.
WHO = {"unit": "business_units", "group": "service"}
PAPER = {"unit": "报表", "group": "汇总表"}
PERIOD = {"quarterly": "季度", "monthly": "月度"}


def clauses() -> list[str]:
    r = policy()[SECTION]
    return [r["unit_due_day"]["clause"], r["summary_due_day"]["clause"], r["monthly"]["clause"],
            r["holiday_rule"]["clause"], r["summary_after_units"]["clause"]]


def schema() -> dict:
    r = policy()[SECTION]
    units, service = (roster()[WHO[k]] for k in ("unit", "group"))
    return engine.form(
        __name__,
        required=["period_end", "reporter", "frequency"],
        properties={
            "period_end": {"type": "string", "format": "date", "title": "报告期末日",
                           "description": "季度或月度的最后一天，如 2026-03-31",
                           "x-clause": r["unit_due_day"]["clause"]},
            "reporter": {"type": "string", "enum": list(WHO), "title": "报送方",
                         "x-labels": {"unit": f"{units}（报送本单位报表）", "group": f"{service}（报出汇总表）"},
                         "description": f"{units}于次月{quantity(r['unit_due_day'])}以前报送；"
                                        f"{service}于次月{quantity(r['summary_due_day'])}以前报出汇总，"
                                        f"且至少晚于{units}的期限{quantity(r['summary_after_units'])}",
                         "x-clause": r["summary_due_day"]["clause"]},
            "frequency": {"type": "string", "enum": list(PERIOD), "title": "报送周期",
                          "x-labels": PERIOD,
                          "description": "按季度报送，或按月报送（按月报送的单位见 KH-03）",
                          "x-clause": r["monthly"]["clause"]},
            # The input keeps its name; since the official calendar is built in, it holds only
            # the company's own extra closing days.
            "holidays": {"type": "array", "default": [], "uniqueItems": True, "title": "本公司另定的休息日",
                         "description": "国家法定节假日和调休上班日已按国务院公布的安排计入，无需填写；"
                                        "此处只填本公司另行安排的休息日（可选）",
                         "items": {"type": "string", "format": "date", "title": "休息日"},
                         "x-clause": r["holiday_rule"]["clause"]},
        })


def _month_after(day: dt.date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def _moved(cal: Calendar, due: dt.date, submit_by: dt.date) -> str:
    if submit_by == due:
        return f"期限日 {due.isoformat()} 是工作日"
    return f"期限日 {due.isoformat()} 为休息日（{cal.why_rest(due)}），顺延至其后第一个工作日 {submit_by.isoformat()}"


def evaluate(data: dict, rules: Rules) -> dict:
    r = rules[SECTION]
    end = dt.date.fromisoformat(data["period_end"])
    year, month = _month_after(end)
    if dt.date(year, month, 1) - dt.timedelta(days=1) != end:
        raise InputError("period_end", f"应为月末日期，收到 {data['period_end']}", "报告期末日")
    if data["frequency"] == "quarterly" and end.month not in _QUARTER_ENDS:
        raise InputError("period_end", f"按季度报送时应为季度末（3、6、9、12月的最后一天），收到 {data['period_end']}",
                         "报告期末日")
    cal = Calendar(data["holidays"])
    unit_param, summary_param = r["unit_due_day"], r["summary_due_day"]
    unit_due = dt.date(year, month, unit_param["value"])
    unit_submit_by = cal.on_or_after(unit_due)
    rule = r["holiday_rule"]
    who, period = roster()[WHO[data["reporter"]]], PERIOD[data["frequency"]] + PAPER[data["reporter"]]

    if data["reporter"] == "unit":
        param, due, rolled = unit_param, unit_due, unit_submit_by
        submit_by, extra_checks = rolled, []
    else:
        param, due = summary_param, dt.date(year, month, summary_param["value"])
        rolled = cal.on_or_after(due)
        gap = r["summary_after_units"]
        earliest = cal.after(unit_submit_by, gap["value"])
        submit_by = max(rolled, earliest)
        extra_checks = [engine.info(
            "after_units", gap["clause"], label=gap["label"],
            actual=submit_by.isoformat(), required=f"晚于 {unit_submit_by.isoformat()} 至少{quantity(gap)}",
            text=f"{roster()[WHO['unit']]}最迟于 {unit_submit_by.isoformat()} 报送；"
                 + (f"汇总期限 {rolled.isoformat()} 在其后，不需顺延" if rolled >= earliest else
                    f"汇总期限须至少晚于该日{quantity(gap)}，由 {rolled.isoformat()} 顺延至 {submit_by.isoformat()}"))]

    checks = [
        engine.info("due", param["clause"], label=param["label"], actual=due.isoformat(),
                    required=f"次月{quantity(param)}以前",
                    text=f"{who}{period}：期间结束后次月{quantity(param)}以前（含当日），即 {due.isoformat()}"),
        engine.info("rest_day", rule["clause"], label=rule["label"], actual=rolled.isoformat(),
                    required=due.isoformat(), text=_moved(cal, due, rolled)),
        *extra_checks,
    ]
    notice = cal.notice()
    if notice:
        official = r["official_calendar"]
        checks.append(engine.info("calendar", official["clause"], label=official["label"], text=notice))
    reason = f"{who}的{period}期限日为 {due.isoformat()}" + (
        "" if submit_by == due else f"，顺延后最迟于 {submit_by.isoformat()} 报送")
    # Until the year's schedule is in the data the answer is provisional, and the headline
    # itself says so, not only a line at the end.
    headline = f"最迟于 {submit_by.isoformat()} 报送"
    if notice:
        headline = "暂定" + headline + cal.provisional()
    return engine.result(__name__, due.isoformat(), rules=rules, headline=headline,
                         reason=reason, checks=checks, submit_by=submit_by.isoformat(),
                         unit_submit_by=unit_submit_by.isoformat(), calendar_covered=notice is None)
