"""Revisions in the built site: the comparison page with two revisions picked shows the
expected marks; an old revision's page is marked superseded; search never returns a
revision page; the change register filters by date; the point-in-time page answers."""

import json
import re

from handbook import revisions

MANIFEST = revisions.load()
REVISED = next(doc for doc, revs in MANIFEST.items() if len(revs) > 1)
OLD, NEW = MANIFEST[REVISED][-2], MANIFEST[REVISED][-1]
PART = {"XY": "xinyong", "KH": "kehu", "FW": "fuwu"}[REVISED[:2]]


def static_redline(site) -> str:
    return (site.dir / PART / f"{REVISED}-redline-{OLD.version}-{NEW.version}" / "index.html").read_text(encoding="utf-8")


def test_each_revision_has_its_redline_page_with_marks(site):
    html = static_redline(site)
    summary = re.search(r'class="redline__summary">(.*?)</p>', html)[1]
    assert summary.startswith(f"第 {OLD.version} 版 → 第 {NEW.version} 版：")
    assert "<ins>" in html or "<del>" in html


def test_comparison_page_with_two_revisions_picked_shows_the_marks(site, page):
    page.goto(f"{site.url}reference/compare/?doc={REVISED}&old={OLD.version}&new={NEW.version}")
    page.wait_for_selector('[data-revision-picker][data-state="ready"]')
    page.click(".picker__form button[type=submit]")
    page.wait_for_selector(f'.picker__result[data-compared="{REVISED}:{OLD.version}-{NEW.version}"]')
    picked = page.inner_html(".picker__result")
    # The browser runs the build's own Python: the same marks as the published redline.
    expected = static_redline(site)
    for mark in re.findall(r"<(?:ins|del)>.*?</(?:ins|del)>", expected):
        assert mark in picked
    assert page.locator(".picker__result .redline__article ins").count() >= 1
    assert page.locator(".picker__result .redline__view--side tr").count() >= 2


def test_old_revision_page_is_marked_superseded_and_links_the_version_in_force(site, page):
    page.goto(f"{site.url}{PART}/{REVISED}-v{OLD.version}/")
    banner = page.locator('[data-revision-state="superseded"]')
    assert "已被替代" in banner.inner_text()
    # (Material's instant navigation rewrites in-site links to absolute addresses.)
    assert banner.locator("a").evaluate("a => a.href") == f"{site.url}{PART}/{REVISED}/"
    page.goto(f"{site.url}{PART}/{REVISED}-v{NEW.version}/")
    assert page.locator('[data-revision-state="current"]').count() == 1


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


def test_point_in_time_names_the_revision_in_force(site, page):
    page.goto(site.url + "reference/point-in-time/")
    first = min(r.effective for revs in MANIFEST.values() for r in revs)
    page.fill('[data-point-in-time] input[name="date"]', "2000-01-01")
    page.click("[data-point-in-time] button")
    assert page.get_attribute(f'.pit__result tr[data-document="{REVISED}"]', "data-version") == ""
    page.fill('[data-point-in-time] input[name="date"]', NEW.effective)
    page.click("[data-point-in-time] button")
    assert page.get_attribute(f'.pit__result tr[data-document="{REVISED}"]', "data-version") == NEW.version
    link = page.locator(f'.pit__result tr[data-document="{REVISED}"] a').nth(1)
    assert link.evaluate("a => a.href") == f"{site.url}{PART}/{REVISED}-v{NEW.version}/"
    assert first <= NEW.effective


def test_a_document_prints_as_a_controlled_copy(site, page):
    page.goto(f"{site.url}{PART}/{REVISED}/")
    header = page.locator(".print-header")
    assert not header.is_visible()
    page.emulate_media(media="print")
    assert header.is_visible()
    assert header.evaluate("h => getComputedStyle(h).position") == "fixed"  # repeats on every printed page
    text = header.inner_text()
    assert REVISED in text and f"第 {NEW.version} 版" in text and f"生效日期 {NEW.effective}" in text
    assert "打印件为非受控文件" in text
    assert page.pdf()[:4] == b"%PDF"
