"""Working days by the official PRC calendar (calc/official_calendar.json): Saturdays and
Sundays are rest days, except the make-up working days (调休); official holidays are rest
days; a company may close on further days of its own.

The calendar covers only the years whose schedule the State Council has published. For a
day outside them the rule falls back to Saturdays, Sundays and the holidays on fixed dates,
and `Calendar.outside`
records the day, so the result can say so instead of guessing silently.
"""

import datetime as dt
import json
from functools import lru_cache
from importlib.resources import files

ONE_DAY = dt.timedelta(days=1)

# Holidays on fixed Gregorian dates under 全国年节及纪念日放假办法 (as amended in 2024, in force
# 2025): 元旦 1 January, 劳动节 1-2 May, 国庆节 1-3 October. Outside the published years they
# are still rest days; the lunar holidays (春节, 清明, 端午, 中秋) and the make-up working days
# are not known until the State Council publishes the year, and the result says so.
FIXED_HOLIDAYS = {(1, 1): "元旦", (5, 1): "劳动节", (5, 2): "劳动节",
                  (10, 1): "国庆节", (10, 2): "国庆节", (10, 3): "国庆节"}


@lru_cache(maxsize=1)
def official() -> dict:
    return json.loads(files("calc").joinpath("official_calendar.json").read_text(encoding="utf-8"))


def coverage() -> tuple[int, int]:
    cal = official()
    return cal["first_year"], cal["last_year"]


class Calendar:
    """The official calendar plus a company's own closing days, noting every day it was
    asked about that lies outside the published years."""

    def __init__(self, closed=()):
        cal = official()
        self.holidays = {dt.date.fromisoformat(d): name for d, name in cal["holidays"].items()}
        self.workdays = {dt.date.fromisoformat(d): name for d, name in cal["workdays"].items()}
        self.closed = {dt.date.fromisoformat(d) if isinstance(d, str) else d for d in closed}
        self.first_year, self.last_year = cal["first_year"], cal["last_year"]
        self.outside: set[dt.date] = set()

    def covers(self, day: dt.date) -> bool:
        return self.first_year <= day.year <= self.last_year

    def _fixed_holiday(self, day: dt.date) -> str | None:
        return None if self.covers(day) else FIXED_HOLIDAYS.get((day.month, day.day))

    def is_working_day(self, day: dt.date) -> bool:
        if not self.covers(day):
            self.outside.add(day)
        if day in self.closed or day in self.holidays or self._fixed_holiday(day):
            return False
        return day in self.workdays or day.weekday() < 5

    def why_rest(self, day: dt.date) -> str:
        """Why a day is not a working day, in words: 国庆节放假, 星期六, 本公司休息日."""
        if day in self.closed:
            return "本公司另定的休息日"
        if day in self.holidays:
            return f"{self.holidays[day]}放假"
        if self._fixed_holiday(day):
            return f"{self._fixed_holiday(day)}放假（法定日期）"
        return "星期六" if day.weekday() == 5 else "星期日"

    def on_or_after(self, day: dt.date) -> dt.date:
        """The day itself if it is a working day, else the next working day."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def after(self, day: dt.date, count: int = 1) -> dt.date:
        """The count-th working day after `day` (the day itself not counted)."""
        while count:
            day += ONE_DAY
            if self.is_working_day(day):
                count -= 1
        return day

    def uncovered_years(self) -> list[int]:
        return sorted({d.year for d in self.outside})

    def provisional(self) -> str | None:
        """The qualifier a headline carries while its year's schedule is not in the data:
        '（2027年放假安排未收录，请核对）'."""
        if not self.outside:
            return None
        years = "、".join(str(y) for y in self.uncovered_years())
        return f"（{years}年放假安排未收录，请核对）"

    def notice(self) -> str | None:
        """A sentence for the result when a day outside the published years was used."""
        if not self.outside:
            return None
        years = "、".join(str(y) for y in sorted({d.year for d in self.outside}))
        return (f"{years}年不在已收录的国家法定节假日安排（{self.first_year}—{self.last_year}年）内，"
                "该年只按星期六、星期日和元旦、劳动节、国庆节的法定日期休息推算，"
                "未计春节、清明、端午、中秋等农历节日和调休；"
                "结果为暂定，请按国务院办公厅公布的当年安排核对；安排公布后，由手册维护人按通知录入"
                "（handbook/data/calendar/），放假日在此之前可作为本公司休息日填入")
