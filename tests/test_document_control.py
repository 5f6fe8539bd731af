"""Document-control records (issue: who has read what, what is due for review, where the
paper copies are): review dates, the calendar feed, the register of controlled copies."""

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from handbook import copies, copy_pages, documents, ical, reviews, revisions

pytestmark = pytest.mark.cpython

DOCS = documents.load_all(Path(__file__).resolve().parent.parent / "docs")
MANIFEST = revisions.load()
TODAY = dt.date(2026, 12, 6)


# --- review dates ---------------------------------------------------------------------

def test_a_substantive_release_starts_the_review_cycle_and_an_editorial_one_does_not():
    xy02 = MANIFEST["XY-02"]                 # 1.0, then 1.1 (editorial)
    assert [r.kind for r in xy02][:2] == ["substantive", "editorial"]
    due = reviews.due(DOCS["XY-02"], MANIFEST, ())
    assert due.last == dt.date.fromisoformat(xy02[0].effective)
    assert due.next == documents.add_months(due.last, int(DOCS["XY-02"].meta["review_cycle"]))
    xy03 = reviews.due(DOCS["XY-03"], MANIFEST, ())
    assert xy03.last == dt.date.fromisoformat(MANIFEST["XY-03"][-1].effective) and "3.0" in xy03.basis


def test_a_recorded_review_without_change_restarts_the_cycle():
    later = reviews.Review("XY-02", dt.date(2027, 6, 30), "finance", "经复审，无须修订")
    due = reviews.due(DOCS["XY-02"], MANIFEST, (later,))
    assert due.last == dt.date(2027, 6, 30) and due.next == dt.date(2028, 6, 30)
    assert "无须修订" in due.basis


@pytest.mark.parametrize("days_before,state", [(-1, "overdue"), (0, "due"), (60, "due"), (61, "ok")])
def test_due_within_sixty_days_both_sides(days_before, state):
    due = reviews.due(DOCS["XY-02"], MANIFEST, ())
    assert due.state(due.next - dt.timedelta(days=days_before)) == state


def test_the_register_lists_overdue_and_due_reviews_by_owner():
    day = reviews.due(DOCS["XY-02"], MANIFEST).next - dt.timedelta(days=10)
    rows = reviews.register_rows(DOCS, MANIFEST, lambda d: d.number, day)
    assert [r["number"] for r in rows if r["state"] != "ok"]            # some fall due then
    owners = [r["owner_id"] for r in rows]
    assert owners == sorted(owners, key=lambda o: list(documents.roster.entries()).index(o))
    xy02 = next(r for r in rows if r["number"] == "XY-02")
    assert xy02["state"] == "due" and xy02["label"] == "即将到期"


@pytest.mark.parametrize("text,words", [
    ('[[review]]\ndocument = "XY-02"\ndate = "2027-02-30"\nby = "finance"\nresult = "无须修订"\n', "不是 YYYY-MM-DD"),
    ('[[review]]\ndocument = "XY-02"\ndate = "2026-12-01"\nby = "nobody"\nresult = "无须修订"\n', "不在名册中"),
    ('[[review]]\ndocument = "XY-02"\ndate = "2026-12-01"\nby = "finance"\n', "缺少 result"),
])
def test_bad_review_records_are_named(tmp_path, text, words):
    path = tmp_path / "reviews.toml"
    path.write_text(text, encoding="utf-8")
    reviews.records.cache_clear()
    problems = reviews.check(DOCS, TODAY, path)
    reviews.records.cache_clear()
    assert len(problems) == 1 and words in problems[0]


def test_a_future_or_unknown_review_is_refused(tmp_path):
    path = tmp_path / "reviews.toml"
    path.write_text('[[review]]\ndocument = "ZZ-01"\ndate = "2026-12-01"\nby = "finance"\nresult = "无须修订"\n'
                    '[[review]]\ndocument = "XY-02"\ndate = "2026-12-07"\nby = "finance"\nresult = "无须修订"\n',
                    encoding="utf-8")
    reviews.records.cache_clear()
    problems = reviews.check(DOCS, TODAY, path)
    reviews.records.cache_clear()
    assert any("ZZ-01" in p for p in problems) and any("晚于今天" in p for p in problems)


# --- the calendar feed ----------------------------------------------------------------

def test_the_calendar_opens_in_a_standard_parser_with_one_event_per_review_and_deadline():
    urls = {n: f"{d.path.parent.name}/{n}/" for n, d in DOCS.items()}
    cal = Calendar.from_ical(ical.calendar(DOCS, MANIFEST, TODAY, "http://intranet/handbook/", urls))
    events = list(cal.walk("VEVENT"))
    review = [e for e in events if str(e["summary"]).startswith("复审到期")]
    deadline = [e for e in events if str(e["summary"]).startswith("报送期限")]
    assert len(review) == len(DOCS) and len(review) + len(deadline) == len(events)
    assert len({str(e["uid"]) for e in events}) == len(events)
    xy03 = next(e for e in review if "XY-03" in str(e["summary"]))
    assert xy03["dtstart"].dt == reviews.due(DOCS["XY-03"], MANIFEST).next
    assert str(xy03["url"]) == "http://intranet/handbook/xinyong/XY-03/"
    assert all(e.walk("VALARM") for e in events)
    # The deadlines are the calculator's: 2026年11月 monthly reports by 2026-12-07, the Q4
    # reports in January 2027, provisional while 2027's schedule is not in the data.
    days = {str(e["summary"]): e["dtstart"].dt for e in deadline}
    assert days["报送期限：各业务单位报送2026年11月客户资料月度报表"] == dt.date(2026, 12, 7)
    assert days["报送期限（暂定）：各业务单位报送2026年第四季度客户资料季度报表"] == dt.date(2027, 1, 6)
    assert days["报送期限（暂定）：客服部报出2026年第四季度客户资料季度汇总表"] == dt.date(2027, 1, 8)
    assert all(d >= TODAY for d in days.values())
    assert len([s for s in days if "季度" in s]) == 8        # four quarters, units and summary


# --- controlled copies ----------------------------------------------------------------

def _copy(**kw) -> copies.Copy:
    base = dict(number="KZ-T-1", document="XY-03", version="2.0", department="finance", holder="文件柜",
                issued=dt.date(2026, 12, 1))
    return copies.Copy(**{**base, **kw})


def test_a_copy_is_recalled_once_a_later_version_is_released():
    assert copies.state(_copy(version="3.0"), MANIFEST, TODAY)["state"] == "in_use"
    old = copies.state(_copy(), MANIFEST, TODAY)
    assert old["state"] == "to_recall" and "第 3.0 版已发布" in old["text"]
    back = copies.state(_copy(recalled=dt.date(2026, 12, 6), recalled_by="finance"), MANIFEST, TODAY)
    assert back["state"] == "recalled" and "2026-12-06" in back["text"]


def test_the_recall_list_of_a_release_holds_every_copy_of_an_earlier_version():
    listed = copies.recall_list("XY-03", "3.0", [_copy(), _copy(number="KZ-T-2", version="3.0"),
                                                 _copy(number="KZ-T-3", document="XY-04")], MANIFEST)
    assert [c.number for c in listed] == ["KZ-T-1"]


@pytest.mark.parametrize("copy,words", [
    (_copy(version="9.9"), "没有已发布的第 9.9 版"),
    (_copy(issued=dt.date(2026, 11, 1)), "早于第 2.0 版的发布日期"),
    (_copy(issued=dt.date(2026, 12, 7)), "晚于今天"),
    (_copy(department="nobody"), "不在名册中"),
    (_copy(recalled=dt.date(2026, 11, 30), recalled_by="finance"), "收回日期"),
])
def test_a_bad_register_entry_is_named(copy, words):
    problems = copies.check([copy], MANIFEST, TODAY)
    assert problems and words in problems[0]
    assert copies.check([_copy(), _copy()], MANIFEST, TODAY) == ["受控副本 KZ-T-1：编号重复"]


def test_the_shipped_register_is_valid():
    assert copies.check(copies.load(), MANIFEST, TODAY) == []


def test_a_copy_page_prints_its_number_and_holder_and_a_recalled_one_says_void():
    page = copy_pages.copy_page(DOCS["XY-03"], _copy(version="3.0"), MANIFEST, TODAY)
    header = page.split('<div class="print-header">', 1)[1].split("</div>", 1)[0]
    assert "受控副本 第 KZ-T-1 号" in header and "持有：财务部（文件柜）" in header and "非受控" not in header
    old = copy_pages.copy_page(DOCS["XY-03"], _copy(), MANIFEST, TODAY)
    header = old.split('<div class="print-header">', 1)[1].split("</div>", 1)[0]
    assert "作废" in header and "受控副本 第" not in header
    assert "render_macros: false" in page and "search:\n  exclude: true" in page
