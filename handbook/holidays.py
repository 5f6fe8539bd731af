"""The official PRC calendar shipped with the calculators: public holidays and make-up
working days (调休), as the State Council publishes them each year.

calc/ must stay standard-library only (it runs in Pyodide), so the data is generated here,
at build time, and committed as calc/official_calendar.json from two sources:

- the pinned `chinese-calendar` package, for every year it covers;
- the company's own year files, `handbook/data/calendar/<year>.toml`, for a year the State
  Council has published but the package does not cover yet. Each names its notice:

      year = 2027
      notice = "国办发明电〔2026〕××号"          # 国务院办公厅关于2027年部分节假日安排的通知
      published = "2026-11-××"                 # the notice's date
      entered_by = "admin_hr"                   # roster id of who entered it
      [holidays]                                # every day off, with its holiday
      "2027-01-01" = "元旦"
      [workdays]                                # every make-up working day (调休上班)
      "2027-02-xx" = "春节"

  Where the package also covers the year, the file must agree with it day for day (a typo
  is caught the day the package catches up); the years covered must run without a gap.

tests/test_workdays.py checks that calc/official_calendar.json equals what this module makes.
After upgrading the package or adding a year file:

    python -m handbook.holidays        # rewrites calc/official_calendar.json
"""

import datetime as dt
import json
import sys
from importlib.metadata import version
from pathlib import Path

from handbook.data_files import read_toml

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "calc" / "official_calendar.json"
YEARS_DIR = ROOT / "handbook" / "data" / "calendar"
PACKAGE = "chinese-calendar"
_FIELDS = {"year", "notice", "published", "entered_by", "holidays", "workdays"}


class CalendarError(ValueError):
    pass


def library() -> dict:
    """The package's data: {"holidays": {day: name}, "workdays": {day: name}}, ISO days."""
    from chinese_calendar import constants

    def chinese(table: dict) -> dict:
        # The package keys its days by the English holiday name; staff read the Chinese one.
        return {d.isoformat(): constants.Holiday(name).chinese for d, name in sorted(table.items())}

    return {"holidays": chinese(constants.holidays), "workdays": chinese(constants.workdays)}


def _year_days(table: dict, year: int) -> dict:
    return {d: n for d, n in table.items() if d.startswith(f"{year}-")}


def year_file(path: Path) -> dict:
    """One company year file, checked: its days lie in its year and are real dates."""
    name = path.name
    data = read_toml(path, CalendarError)
    missing = _FIELDS - set(data)
    if missing:
        raise CalendarError(f"{name}：缺少 {'、'.join(sorted(missing))}")
    unknown = set(data) - _FIELDS
    if unknown:
        raise CalendarError(f"{name}：未知的键 {'、'.join(sorted(unknown))}")
    year = data["year"]
    if not isinstance(year, int) or name != f"{year}.toml":
        raise CalendarError(f"{name}：文件名应为 <year>.toml 且与 year 一致")
    if not str(data["notice"]).strip():
        raise CalendarError(f"{name}：notice 应写明国务院办公厅通知的文号")
    for kind in ("holidays", "workdays"):
        for day, holiday in data[kind].items():
            try:
                parsed = dt.date.fromisoformat(day)
            except ValueError:
                raise CalendarError(f"{name}：{kind} 中的 {day} 不是 YYYY-MM-DD 日期") from None
            if parsed.year != year:
                raise CalendarError(f"{name}：{kind} 中的 {day} 不在 {year} 年")
            if not isinstance(holiday, str) or not holiday:
                raise CalendarError(f"{name}：{day} 应写明节日名称")
    both = set(data["holidays"]) & set(data["workdays"])
    if both:
        raise CalendarError(f"{name}：{'、'.join(sorted(both))} 既是放假日又是调休上班日")
    return data


def data(years_dir: Path = YEARS_DIR) -> dict:
    """The calendar: the package's years, then the company's year files, with where each
    year came from."""
    lib = library()
    lib_years = sorted({int(d[:4]) for d in lib["holidays"]} | {int(d[:4]) for d in lib["workdays"]})
    source = f"{PACKAGE} {version(PACKAGE)}"
    holidays, workdays = dict(lib["holidays"]), dict(lib["workdays"])
    sources = {str(y): source for y in lib_years}
    for path in sorted(years_dir.glob("*.toml")) if years_dir.is_dir() else []:
        entry = year_file(path)
        year = entry["year"]
        if year in lib_years:
            for kind, table in (("holidays", lib["holidays"]), ("workdays", lib["workdays"])):
                if dict(sorted(entry[kind].items())) != _year_days(table, year):
                    raise CalendarError(f"{path.name}：{year} 年的{'放假日' if kind == 'holidays' else '调休上班日'}"
                                        f"与 {source} 不一致，请核对通知原文")
            continue   # the package agrees: it stays the source
        holidays.update(entry["holidays"])
        workdays.update(entry["workdays"])
        sources[str(year)] = f"{entry['notice']}（{entry['published']}）"
    years = sorted(int(y) for y in sources)
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if gaps:
        raise CalendarError(f"放假安排的年份不连续：缺少 {'、'.join(map(str, gaps))} 年")
    return {
        "about": "国务院办公厅公布的法定节假日放假日和调休上班日，由 handbook/holidays.py 生成，勿手工修改",
        "source": source,
        "first_year": years[0],
        "last_year": years[-1],
        "sources": sources,
        "holidays": dict(sorted(holidays.items())),
        "workdays": dict(sorted(workdays.items())),
    }


def render(calendar: dict) -> str:
    """One day per line, so a new year's schedule shows as a readable diff."""
    return json.dumps(calendar, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    try:
        cal = data()
    except CalendarError as e:
        print(f"节假日安排有误：{e}", file=sys.stderr)
        return 2
    TARGET.write_text(render(cal), encoding="utf-8")
    print(f"已写入 {TARGET.name}：{cal['first_year']}—{cal['last_year']} 年，"
          f"放假日 {len(cal['holidays'])} 天，调休上班日 {len(cal['workdays'])} 天")
    return 0


if __name__ == "__main__":
    sys.exit(main())
