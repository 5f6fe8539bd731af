"""Revisions in the built site, in Chromium: each version's state follows the day the page
is read (a fixed clock on both sides of an effective date, in China time), the comparison
page opens on a real change and can be shared, old revisions' pages are marked, search
never returns a revision page, the change register filters, the point-in-time page answers
and opens a calculator as of its date."""

import datetime as dt
import json
import re

import pytest

from handbook import revision_pages, revisions

pytestmark = pytest.mark.chromium

MANIFEST = revisions.load()
REVISED = next(doc for doc, revs in MANIFEST.items() if len(revs) > 1)
OLD, NEW = MANIFEST[REVISED][-2], MANIFEST[REVISED][-1]
PART = {"XY": "xinyong", "KH": "kehu", "FW": "fuwu"}[REVISED[:2]]
EFFECTIVE = dt.date.fromisoformat(NEW.effective)
CHINA = dt.timezone(dt.timedelta(hours=8))


def china_midnight(day: dt.date, minutes: int = 0) -> dt.datetime:
    """Midnight in China starting `day`, plus some minutes (16:00 UTC the day before)."""
    return dt.datetime.combine(day, dt.time(), CHINA) + dt.timedelta(minutes=minutes)


def at(page, when: dt.datetime):
    page.clock.set_fixed_time(when)
    return page


def static_redline(site) -> str:
    return (site.dir / PART / f"{REVISED}-redline-{OLD.version}-{NEW.version}" / "index.html").read_text(encoding="utf-8")


# --- in force on the day the page is read ----------------------------------------------

def doc_state(page, site) -> tuple[str, str]:
    page.goto(f"{site.url}{PART}/{REVISED}/")
    s = page.locator(".doc-strip [data-revision-status]")
    return s.get_attribute("data-state"), s.inner_text()


def test_document_page_says_when_its_version_takes_effect_and_then_in_force(site, page):
    # One minute before midnight in China on the eve (15:59 UTC: still the eve in China).
    state, text = doc_state(at(page, china_midnight(EFFECTIVE, -1)), site)
    earlier = revisions.in_force(MANIFEST[REVISED], EFFECTIVE - dt.timedelta(days=1))
    assert state == "pending" and f"将于 {NEW.effective} 生效" in text
    assert (f"在此之前适用第 {earlier.version} 版" if earlier else "在此之前尚无生效版本") in text


def test_document_page_in_force_from_midnight_china_time_not_utc(site, page):
    # 00:01 in China is still the day before in UTC: the page must say 现行 already.
    when = china_midnight(EFFECTIVE, 1)
    assert when.astimezone(dt.timezone.utc).date() < EFFECTIVE
    state, text = doc_state(at(page, when), site)
    assert (state, text) == ("current", "现行")


def test_revision_log_and_register_follow_the_clock(site, page):
    at(page, china_midnight(EFFECTIVE, 60))
    page.goto(f"{site.url}{PART}/{REVISED}/")
    log = page.locator("table.revision-log")
    assert log.locator(f'tr[data-version="{NEW.version}"] [data-revision-status]').get_attribute("data-state") == "current"
    assert log.locator(f'tr[data-version="{OLD.version}"] [data-revision-status]').inner_text().startswith("已被替代")
    page.goto(site.url + "reference/changes/")
    row = page.locator(f'table.changes tr[data-document="{REVISED}"][data-version="{NEW.version}"]')
    assert row.locator("[data-revision-status]").inner_text() == "现行"
    head = revisions.head(revisions.entries())
    assert page.locator("[data-chain-head]").inner_text() == head
    page.goto(site.url + "reference/register/")
    row = page.locator("table tr", has=page.locator(f'td:text-is("{REVISED}")'))
    assert row.locator("[data-revision-status]").inner_text() == "现行"
    assert head in page.inner_text("article")
    at(page, china_midnight(EFFECTIVE, -60)).reload()
    assert row.locator("[data-revision-status]").get_attribute("data-state") == "pending"


def test_the_browser_rule_is_the_builds_rule(site, page):
    """revisions.js `status` against revision_pages.status on a made-up history with a
    later version pending, on every day around both effective dates."""
    page.goto(site.url)
    revs = [revisions.Revision("XY-99", v, "2026-11-01", e, "substantive", "x", "gm", "", "")
            for v, e in (("1.0", "2026-12-01"), ("1.1", "2026-12-01"), ("2.0", "2027-01-01"), ("3.0", "2027-03-01"))]
    data = [[r.version, r.effective, ""] for r in revs]
    for day in [dt.date(2026, 11, 30) + dt.timedelta(days=n) for n in (0, 1, 2, 31, 32, 33, 89, 90, 91)]:
        for r in revs:
            want = revision_pages.status(revs, r, day)
            got = page.evaluate("([d, v, day]) => HandbookRevisions.status(d, v, day)", [data, r.version, day.isoformat()])
            assert (got["state"], got["text"]) == (want["state"], want["text"]), (day, r.version)
    pending = revision_pages.status(revs, revs[2], dt.date(2026, 12, 15))
    assert pending["text"] == "将于 2027-01-01 生效"       # a later version is pending too: not the latest
    latest = revision_pages.status(revs, revs[3], dt.date(2027, 2, 1))
    assert latest["text"] == "将于 2027-03-01 生效；在此之前适用第 2.0 版"


def test_a_pending_latest_version_names_and_links_the_version_that_applies_until_then(site, page):
    at(page, china_midnight(dt.date(2027, 12, 15), 600)).goto(site.url)
    data = [["1.0", "2026-12-01", "../v1.0/"], ["1.1", "2026-12-01", "../v1.1/"], ["2.0", "2028-01-01", ""]]
    text, href, state = page.evaluate("""data => {
        const span = document.createElement("span");
        span.dataset.revisionStatus = JSON.stringify(data);
        span.dataset.version = "2.0";
        document.body.append(span);
        HandbookRevisions.show(span, HandbookRevisions.chinaToday());
        return [span.textContent, span.querySelector("a").getAttribute("href"), span.dataset.state];
    }""", data)
    assert (text, href, state) == ("将于 2028-01-01 生效；在此之前适用第 1.1 版", "../v1.1/", "pending")


def test_old_revision_page_is_marked_superseded_and_links_the_document(site, page):
    at(page, china_midnight(EFFECTIVE, 60))
    page.goto(f"{site.url}{PART}/{REVISED}-v{OLD.version}/")
    banner = page.locator("[data-revision-banner]")
    assert banner.get_attribute("data-revision-state") == "superseded" and "已被替代" in banner.inner_text()
    assert "danger" in banner.get_attribute("class")
    # (Material's instant navigation rewrites in-site links to absolute addresses.)
    assert banner.locator("a").first.evaluate("a => a.href") == f"{site.url}{PART}/{REVISED}/"
    page.goto(f"{site.url}{PART}/{REVISED}-v{NEW.version}/")
    assert page.locator('[data-revision-banner]').get_attribute("data-revision-state") == "current"


def test_latest_revision_page_before_its_day_is_pending(site, page):
    at(page, china_midnight(EFFECTIVE, -60))
    page.goto(f"{site.url}{PART}/{REVISED}-v{NEW.version}/")
    banner = page.locator("[data-revision-banner]")
    assert banner.get_attribute("data-revision-state") == "pending"
    assert f"将于 {NEW.effective} 生效" in banner.inner_text() and "warning" in banner.get_attribute("class")


# --- comparison ---------------------------------------------------------------------

def test_comparison_page_opens_on_a_real_change(site, page):
    latest = max(((r.released, n, revs[k - 1].version, r.version) for n, revs in MANIFEST.items()
                  for k, r in enumerate(revs) if k))
    page.goto(site.url + "reference/compare/")
    page.wait_for_selector(f'.picker__result[data-compared="{latest[1]}:{latest[2]}-{latest[3]}"]')
    assert page.locator(".picker__result .redline__article").count() >= 1
    assert f"doc={latest[1]}" in page.url and f"old={latest[2]}" in page.url and f"new={latest[3]}" in page.url


def test_comparison_link_shows_the_same_marks_and_changes_only(site, page):
    page.goto(f"{site.url}reference/compare/?doc={REVISED}&old={OLD.version}&new={NEW.version}")
    page.wait_for_selector(f'.picker__result[data-compared="{REVISED}:{OLD.version}-{NEW.version}"]')
    picked = page.inner_html(".picker__result")
    # The browser runs the build's own Python: the same marks as the published redline.
    for mark in re.findall(r"<(?:ins|del)>.*?</(?:ins|del)>", static_redline(site)):
        assert mark in picked
    unchanged = page.locator('.picker__result .redline__article[data-status="unchanged"]')
    changed = page.locator('.picker__result .redline__article:not([data-status="unchanged"])')
    assert changed.count() >= 1
    page.check("[data-changed-only]")
    assert unchanged.count() == 0 or not unchanged.first.is_visible()
    assert changed.first.is_visible()
    page.click('[data-jump="1"]')
    assert page.locator(".picker__position").inner_text().startswith("第 1 处，共")
    assert page.locator(".redline__article--current").count() == 1
    href = page.locator(".picker__link").evaluate("a => a.href")
    assert f"doc={REVISED}&old={OLD.version}&new={NEW.version}" in href


@pytest.mark.parametrize("query,words", [
    (f"?doc={REVISED}&old=9.9&new={NEW.version}", f"{REVISED} 没有第 9.9 版"),
    ("?doc=ZZ-99&old=1.0&new=1.1", "没有文件 ZZ-99"),
])
def test_comparison_link_with_an_unknown_version_says_so(site, page, query, words):
    page.goto(f"{site.url}reference/compare/{query}")
    page.wait_for_selector('[data-revision-picker][data-problem="true"]')
    status = page.locator(".picker__status")
    assert words in status.inner_text()
    assert "TypeError" not in status.inner_text() and "内部错误" not in status.inner_text()


# --- redline, search, register, point in time -----------------------------------------

def test_document_page_shows_its_revision_log(site, page):
    page.goto(f"{site.url}{PART}/{REVISED}/")
    log = page.locator("table.revision-log")
    assert log.locator("tbody tr").count() == len(MANIFEST[REVISED])
    hrefs = log.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert f"{site.url}{PART}/{REVISED}-v{OLD.version}/" in hrefs
    assert f"{site.url}{PART}/{REVISED}-redline-{OLD.version}-{NEW.version}/" in hrefs


def test_search_never_returns_a_revision_page(site, page):
    index = json.loads((site.dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if re.search(r"-v\d+\.\d+/|-redline-", d["location"])]
    page.goto(site.url)
    page.click(".md-search__input")
    page.keyboard.type("信用等级")
    page.keyboard.press("End")
    page.locator(".md-search-result__link").first.wait_for()
    hrefs = page.locator(".md-search-result__link").evaluate_all("links => links.map(a => a.href)")
    assert hrefs and not [h for h in hrefs if re.search(r"-v\d+\.\d+/|-redline-", h)]


def test_change_register_filters_by_document_and_date(site, page):
    changes = json.loads((site.dir / "assets" / "revisions" / "changes.json").read_text(encoding="utf-8"))
    assert len(changes) == sum(len(v) for v in MANIFEST.values())
    assert changes[0]["released"] >= changes[-1]["released"]
    page.goto(site.url + "reference/changes/")
    rows = page.locator("table.changes tbody tr")
    assert rows.count() == len(changes)
    page.select_option('[data-changes-filter] select[name="document"]', REVISED)
    assert page.locator("table.changes tbody tr:not([hidden])").count() == len(MANIFEST[REVISED])
    page.select_option('[data-changes-filter] select[name="document"]', "")
    page.fill('[data-changes-filter] input[name="from"]', "2999-01-01")
    assert page.locator("table.changes tbody tr:not([hidden])").count() == 0


def test_point_in_time_names_the_revision_in_force_and_defaults_to_china_today(site, page):
    when = china_midnight(EFFECTIVE, 1)          # still the day before in UTC
    at(page, when).goto(site.url + "reference/point-in-time/")
    assert page.input_value('[data-point-in-time] input[name="date"]') == EFFECTIVE.isoformat()
    page.fill('[data-point-in-time] input[name="date"]', "2000-01-01")
    page.click("[data-point-in-time] button")
    assert page.get_attribute(f'.pit__result tr[data-document="{REVISED}"]', "data-version") == ""
    page.fill('[data-point-in-time] input[name="date"]', NEW.effective)
    page.click("[data-point-in-time] button")
    row = page.locator(f'.pit__result tr[data-document="{REVISED}"]')
    assert row.get_attribute("data-version") == NEW.version
    assert row.locator("a").nth(1).evaluate("a => a.href") == f"{site.url}{PART}/{REVISED}-v{NEW.version}/"


def test_point_in_time_opens_a_calculator_as_of_its_date(site, page):
    page.goto(site.url + "reference/point-in-time/?date=2027-06-30")
    link = page.locator('.pit__result tr[data-document="XY-03"] a', has_text="按 2027-06-30 计算")
    assert link.evaluate("a => a.href").endswith("xinyong/XY-03/?as_of=2027-06-30")
    link.click()
    page.wait_for_selector('[data-calculator="credit-grade"] [name="as_of"]')
    assert page.input_value('[data-calculator="credit-grade"] [name="as_of"]') == "2027-06-30"


def test_a_document_prints_as_a_controlled_copy_with_the_chain_head(site, page):
    # (How the header is laid out in print belongs to the print styles; here: what it says.)
    page.goto(f"{site.url}{PART}/{REVISED}/")
    page.emulate_media(media="print")
    text = page.locator(".print-header").text_content()
    assert REVISED in text and f"第 {NEW.version} 版" in text and f"生效日期 {NEW.effective}" in text
    assert "打印件为非受控文件" in text
    assert revisions.head(revisions.entries()) in page.locator("table.doc-control").inner_text()
    assert page.pdf()[:4] == b"%PDF"
