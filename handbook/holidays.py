"""The official PRC calendar shipped with the calculators: public holidays and make-up
working days (调休), as the State Council publishes them each year.

calc/ must stay standard-library only (it runs in Pyodide), so the data comes from the
pinned `chinese-calendar` package here, at build time, and is committed as
calc/official_calendar.json; tests/test_workdays.py checks the file still equals the
package's data. After upgrading the package (a new year's schedule):

    python -m handbook.holidays        # rewrites calc/official_calendar.json
"""

import json
import sys
from importlib.metadata import version
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "calc" / "official_calendar.json"
PACKAGE = "chinese-calendar"


def data() -> dict:
    """The calendar as the package has it: every official day off and make-up working day."""
    from chinese_calendar import constants

    def chinese(table: dict) -> dict:
        # The package keys its days by the English holiday name; staff read the Chinese one.
        return {d.isoformat(): constants.Holiday(name).chinese for d, name in sorted(table.items())}

    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return {
        "about": "国务院办公厅公布的法定节假日放假日和调休上班日，由 handbook/holidays.py 生成，勿手工修改",
        "source": f"{PACKAGE} {version(PACKAGE)}",
        "first_year": min(years),
        "last_year": max(years),
        "holidays": chinese(constants.holidays),
        "workdays": chinese(constants.workdays),
    }


def render(calendar: dict) -> str:
    """One day per line, so a new year's schedule shows as a readable diff."""
    return json.dumps(calendar, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    cal = data()
    TARGET.write_text(render(cal), encoding="utf-8")
    print(f"已写入 {TARGET.name}：{cal['first_year']}—{cal['last_year']} 年，"
          f"放假日 {len(cal['holidays'])} 天，调休上班日 {len(cal['workdays'])} 天（{cal['source']}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
