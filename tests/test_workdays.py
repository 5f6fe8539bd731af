"""The official calendar (calc/official_calendar.json) and the date calculators built on it:
the shipped data equals the pinned library's, and a deadline is always a working day after
the period it closes, with the service department's summary after the units' reports."""

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc import run
from calc.errors import InputError
from calc.parameters import policy
from calc.workdays import Calendar, coverage, official
from handbook import holidays

pytestmark = pytest.mark.cpython

FIRST, LAST = coverage()
DAY = dt.timedelta(days=1)


def test_shipped_calendar_equals_the_library():
    """Regenerate with `python -m handbook.holidays` after upgrading chinese-calendar."""
    assert holidays.TARGET.read_text(encoding="utf-8") == holidays.render(holidays.data())


def test_library_is_pinned_in_requirements():
    from importlib.metadata import version
    pins = (holidays.TARGET.parent.parent / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert f"{holidays.PACKAGE}=={version(holidays.PACKAGE)}" in pins


def test_calendar_knows_official_days():
    cal = Calendar()
    assert cal.is_working_day(dt.date(2025, 10, 11))       # Saturday, 调休上班
    assert cal.is_working_day(dt.date(2026, 2, 14))        # Saturday before the Spring Festival
    assert not cal.is_working_day(dt.date(2025, 10, 6))    # Monday, 中秋 holiday
    assert not cal.is_working_day(dt.date(2026, 4, 6))     # Monday, 清明 holiday
    assert cal.is_working_day(dt.date(2026, 11, 30))       # an ordinary Monday
    assert not cal.is_working_day(dt.date(2026, 11, 29))   # an ordinary Sunday
    assert not cal.outside
    assert (FIRST, LAST) == (official()["first_year"], official()["last_year"])
    assert FIRST <= 2025 and LAST >= 2026


def test_company_closing_day_beats_a_make_up_working_day():
    assert not Calendar(["2025-10-11"]).is_working_day(dt.date(2025, 10, 11))


def test_outside_the_published_years_is_said_not_guessed():
    cal = Calendar()
    assert cal.notice() is None
    cal.is_working_day(dt.date(LAST + 1, 1, 4))
    assert cal.notice() and str(LAST + 1) in cal.notice()
    inside = run("filing-deadline", {"kind": "new", "start": f"{LAST}-06-01"})
    outside = run("filing-deadline", {"kind": "new", "start": f"{LAST + 1}-06-01"})
    assert inside["calendar_covered"] and "calendar" not in [c["id"] for c in inside["checks"]]
    assert not outside["calendar_covered"]
    line = next(c for c in outside["checks"] if c["id"] == "calendar")
    assert line["status"] == "info" and str(LAST + 1) in line["text"]


def _month_end(index: int) -> dt.date:
    """The last day of the index-th month from January of the first published year."""
    year, month = FIRST + index // 12, index % 12 + 1
    return (dt.date(year, month, 28) + DAY * 4).replace(day=1) - DAY


# Month ends whose deadlines (the 6th and 8th of the next month, moved) fall in the
# published years: January of the first year to November of the last.
MONTHS = (LAST - FIRST) * 12 + 11


def _deadlines(end: dt.date, frequency: str, closed=()) -> tuple[dict, dict]:
    data = {"period_end": end.isoformat(), "frequency": frequency, "holidays": list(closed)}
    return (run("report-deadline", {**data, "reporter": "unit"}),
            run("report-deadline", {**data, "reporter": "group"}))


def _check_deadlines(end: dt.date, frequency: str, closed=()):
    cal = Calendar(closed)
    unit, group = _deadlines(end, frequency, closed)
    for r in (unit, group):
        submit_by, due = dt.date.fromisoformat(r["submit_by"]), dt.date.fromisoformat(r["due"])
        assert submit_by > end, (end, r)
        assert cal.is_working_day(submit_by), (end, r)
        assert submit_by >= due, (end, r)
        assert all(c["status"] == "info" for c in r["checks"])
    # The units' deadline is the first working day on or after the 6th.
    u_due, u_by = dt.date.fromisoformat(unit["due"]), dt.date.fromisoformat(unit["submit_by"])
    assert all(not cal.is_working_day(u_due + DAY * i) for i in range((u_by - u_due).days)), end
    # The summary comes at least one working day after the units' reports.
    g_by = dt.date.fromisoformat(group["submit_by"])
    assert g_by > u_by and any(cal.is_working_day(u_by + DAY * i) for i in range(1, (g_by - u_by).days + 1))
    assert group["unit_submit_by"] == unit["submit_by"]


def test_every_deadline_is_a_working_day_after_the_period():
    for end in map(_month_end, range(MONTHS)):
        _check_deadlines(end, "monthly")
        if end.month in (3, 6, 9, 12):
            _check_deadlines(end, "quarterly")


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=MONTHS - 1),
       st.sets(st.integers(min_value=1, max_value=20), max_size=6))
def test_company_closing_days_keep_the_order(month_index, closing):
    end = _month_end(month_index)
    nxt = end + DAY
    closed = [(nxt + DAY * (d - 1)).isoformat() for d in closing]
    _check_deadlines(end, "monthly", closed)


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=dt.date(FIRST, 1, 1), max_value=dt.date(LAST, 12, 1)),
       st.sampled_from(["new", "change"]))
def test_filing_deadline_counts_working_days(start, kind):
    r = run("filing-deadline", {"kind": kind, "start": start.isoformat()})
    cal = Calendar()
    due = dt.date.fromisoformat(r["due"])
    counted = [start + DAY * i for i in range(1, (due - start).days + 1) if cal.is_working_day(start + DAY * i)]
    days = policy()["reporting"][{"new": "new_customer_filing_days", "change": "change_filing_days"}[kind]]
    assert len(counted) == days["value"] and counted[-1] == due


def test_a_million_latenesses_are_refused_at_once():
    started = time.perf_counter()
    with pytest.raises(InputError) as e:
        run("attendance-fine", {"late_minutes": [5] * 1_000_000})
    assert time.perf_counter() - started < 1.0
    assert e.value.field == "late_minutes" and "最多 31 项" in str(e.value)
    assert "late_minutes" not in str(e.value)


# --- the company's year files (handbook/data/calendar/<year>.toml) -------------------

def _year_file(folder, year: int, holidays: dict, workdays: dict, **extra) -> None:
    fields = {"year": year, "notice": f"国办发明电〔{year - 1}〕7号", "published": f"{year - 1}-11-12",
              "entered_by": "admin_hr", **extra}
    lines = [f"{k} = {v!r}".replace("'", '"') for k, v in fields.items()]
    lines += ["[holidays]", *(f'"{d}" = "{n}"' for d, n in holidays.items())]
    lines += ["[workdays]", *(f'"{d}" = "{n}"' for d, n in workdays.items())]
    (folder / f"{year}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_year_file_extends_the_calendar_with_its_notice(tmp_path):
    year = LAST + 1
    _year_file(tmp_path, year, {f"{year}-01-01": "元旦", f"{year}-02-08": "春节"}, {f"{year}-02-06": "春节"})
    cal = holidays.data(tmp_path)
    assert cal["last_year"] == year and cal["first_year"] == FIRST
    assert cal["sources"][str(year)] == f"国办发明电〔{year - 1}〕7号（{year - 1}-11-12）"
    assert cal["sources"][str(LAST)].startswith("chinese-calendar")
    assert cal["holidays"][f"{year}-02-08"] == "春节" and cal["workdays"][f"{year}-02-06"] == "春节"


def test_a_year_file_the_library_covers_must_agree_with_it(tmp_path):
    lib = holidays.library()
    days = {k: {d: n for d, n in lib[k].items() if d.startswith(f"{LAST}-")} for k in ("holidays", "workdays")}
    _year_file(tmp_path, LAST, days["holidays"], days["workdays"])
    assert holidays.data(tmp_path)["sources"][str(LAST)].startswith("chinese-calendar")   # agrees: accepted
    wrong = dict(days["holidays"])
    wrong.pop(next(iter(wrong)))
    _year_file(tmp_path, LAST, wrong, days["workdays"])
    with pytest.raises(holidays.CalendarError, match=f"{LAST}.toml.*不一致"):
        holidays.data(tmp_path)


@pytest.mark.parametrize("year,holidays_,words", [
    (LAST + 2, {f"{LAST + 2}-01-01": "元旦"}, "不连续"),                 # a gap of one year
    (LAST + 1, {f"{LAST + 2}-01-01": "元旦"}, "不在"),                   # a day outside its year
    (LAST + 1, {f"{LAST + 1}-02-30": "春节"}, "不是 YYYY-MM-DD"),        # no such day
])
def test_a_bad_year_file_is_refused_with_its_name(tmp_path, year, holidays_, words):
    _year_file(tmp_path, year, holidays_, {})
    with pytest.raises(holidays.CalendarError, match=words):
        holidays.data(tmp_path)


def test_a_deadline_in_an_uncovered_year_says_provisional_in_its_headline(monkeypatch):
    out = run("report-deadline", {"period_end": f"{LAST}-12-31", "reporter": "unit", "frequency": "quarterly"})
    assert out["headline"].startswith("暂定最迟于") and f"{LAST + 1}年放假安排未收录" in out["headline"]
    assert not out["calendar_covered"]
    # Once the year is in the data, the same deadline is stated without the qualifier.
    extended = dict(official(), last_year=LAST + 1)
    monkeypatch.setattr("calc.workdays.official", lambda: extended)
    out = run("report-deadline", {"period_end": f"{LAST}-12-31", "reporter": "unit", "frequency": "quarterly"})
    assert out["headline"] == f"最迟于 {out['submit_by']} 报送" and out["calendar_covered"]
    inside = run("filing-deadline", {"kind": "new", "start": f"{LAST}-06-01"})
    assert inside["headline"].startswith("最迟于")
