"""The calendar feed (iCalendar, RFC 5545) the site publishes so that owners' own calendar
programs remind them: one event per document review (handbook/reviews.py) and one per
reporting deadline of the coming twelve months (KH-03, computed by the report-deadline
calculator itself, so holidays and roll-forward are the calculator's). Written with the
pinned `icalendar` library at build time."""

import datetime as dt

from icalendar import Alarm, Calendar, Event

from calc.citation import chinese_number
from calc.registry import run
from handbook import reviews, roster
from handbook.documents import Document

SITE_PATH = "calendar/handbook.ics"
PRODID = "-//customer-credit-handbook//zh-CN"
REMIND_DAYS = {"review": reviews.DUE_WINDOW_DAYS, "deadline": 3}   # alarms before the day
_PERIODS = (("monthly", "月度"), ("quarterly", "季度"))
_REPORTERS = (("unit", "各业务单位报送", "报表"), ("group", "客服部报出", "汇总表"))


def _month_ends(today: dt.date, months: int = 12) -> list[dt.date]:
    """Month ends from the one before `today` on: the periods whose deadlines are still ahead."""
    first = dt.date(today.year, today.month, 1)
    out = []
    for k in range(-1, months):
        y, m = divmod(first.month - 1 + k + 1, 12)
        out.append(dt.date(first.year + y, m + 1, 1) - dt.timedelta(days=1))
    return out


def deadlines(today: dt.date) -> list[dict]:
    """Every reporting deadline (KH-03 第二十一条至第二十三条) from today for a year: the
    calculator's own answer for each period, reporter and frequency."""
    out = []
    for end in _month_ends(today):
        for frequency, period in _PERIODS:
            if frequency == "quarterly" and end.month % 3:
                continue
            for reporter, who, paper in _REPORTERS:
                r = run("report-deadline", {"period_end": end.isoformat(), "reporter": reporter,
                                            "frequency": frequency, "as_of": today.isoformat()})
                day = dt.date.fromisoformat(r["submit_by"])
                if day < today:
                    continue
                label = (f"{end.year}年{end.month}月" if frequency == "monthly"
                         else f"{end.year}年第{chinese_number(end.month // 3)}季度")
                provisional = "" if r["calendar_covered"] else "（暂定）"
                out.append({"uid": f"report-{frequency}-{reporter}-{end.isoformat()}", "day": day,
                            "summary": f"报送期限{provisional}：{who}{label}客户资料{period}{paper}",
                            "description": r["reason"] + ("；" + r["headline"] if provisional else "")
                                           + "。依据 KH-03 第二十一条至第二十三条" + ("（按月报送的单位）" if frequency == "monthly" else ""),
                            "kind": "deadline"})
    return out


def review_events(docs: dict[str, Document], manifest: dict) -> list[dict]:
    out = []
    for d in reviews.schedule(docs, manifest):
        owner = roster.name(d.doc.meta["owner"])
        out.append({"uid": f"review-{d.doc.number}-{d.next.isoformat()}", "day": d.next,
                    "summary": f"复审到期：{d.doc.number} {d.doc.title}（归口：{owner}）",
                    "description": f"上次复审 {d.last.isoformat()}（{d.basis}），复审周期 {d.doc.meta['review_cycle']} 个月。"
                                   "复审后无须修订的，在复审记录中登记；需要修订的，按发布程序发布新版本",
                    "kind": "review", "doc": d.doc.number})
    return out


def calendar(docs: dict[str, Document], manifest: dict, today: dt.date, site_url: str,
             doc_urls: dict[str, str]) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "客户信用与客户管理手册：复审与报送期限")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    base = site_url if site_url.endswith("/") else site_url + "/"
    stamp = dt.datetime.combine(today, dt.time(), tzinfo=dt.timezone.utc)
    for item in review_events(docs, manifest) + deadlines(today):
        event = Event()
        event.add("uid", f"{item['uid']}@customer-credit-handbook")
        event.add("dtstamp", stamp)
        event.add("dtstart", item["day"])                 # an all-day event (VALUE=DATE)
        event.add("dtend", item["day"] + dt.timedelta(days=1))
        event.add("summary", item["summary"])
        event.add("description", item["description"])
        event.add("categories", ["复审" if item["kind"] == "review" else "报送期限"])
        page = doc_urls.get(item.get("doc", "KH-03"))
        if page is not None:
            event.add("url", base + page)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item["summary"])
        alarm.add("trigger", -dt.timedelta(days=REMIND_DAYS[item["kind"]]))
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
