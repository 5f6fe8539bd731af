"""Decision tables in the browser: every calculator's chapter shows its tables, folded
under the calculator; on a 375 px phone nothing scrolls sideways; printed, the tables are
unfolded and the calculator left out; a clause cited in a table opens beside it; axe finds
no serious violation in an unfolded table; the search index leaves the tables out."""

import json
import re

import pytest

from calc.parameters import policy
from calc.registry import listing
from handbook import decisions
from tests.support import ROOT
from tests.test_a11y_axe import violations

pytestmark = pytest.mark.chromium

CHAPTERS = {e["name"]: next(ROOT.glob(f"docs/*/{e['document']}.md")).relative_to(ROOT / "docs").with_suffix("").as_posix()
            for e in listing()}
# The tables need no Pyodide: not booting it ten times keeps the shared machine free.
RUNTIME = re.compile(r"/assets/(pyodide|wheels)/")


def open_chapter(site, page, name: str):
    page.route(RUNTIME, lambda route: route.abort())
    page.goto(site.url + CHAPTERS[name] + "/")
    root = page.locator(f'[data-decision-table="{name}"]')
    root.wait_for(state="attached")
    return root


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_each_calculators_chapter_shows_its_decision_tables(site, page, name):
    root = open_chapter(site, page, name)
    assert root.count() == 1
    assert root.locator("details").get_attribute("open") is None          # folded under the calculator
    root.locator("summary").click()
    built = decisions.tables(name, policy())
    tables = root.locator("table.decision-table__table")
    assert tables.count() == len(built)
    for k, t in enumerate(built):
        caption = tables.nth(k).locator("caption").inner_text()
        assert t.caption in caption and re.search(r"命中规则：(只有一行适用|按顺序第一行适用)", caption)
        assert tables.nth(k).locator("tbody tr").count() == len(t.rows)
        assert tables.nth(k).is_visible()
    # The calculator comes first, its tables after it, in the same tool block.
    assert page.evaluate("""(name) => {
        const calc = document.querySelector(`[data-calculator="${name}"]`);
        const rule = document.querySelector(`[data-decision-table="${name}"]`);
        return calc.closest(".tool-block") === rule.closest(".tool-block")
            && !!(calc.compareDocumentPosition(rule) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""", name)


@pytest.mark.parametrize("name", list(CHAPTERS))
def test_on_a_phone_the_tables_do_not_scroll_sideways(site, browser, name):
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 800}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        root = open_chapter(site, page, name)
        root.locator("summary").click()
        root.locator("table").last.scroll_into_view_if_needed()
        widths = page.evaluate("""(name) => {
            const root = document.querySelector(`[data-decision-table="${name}"]`);
            const wide = [...root.querySelectorAll("td, th, caption")].filter(el => el.getBoundingClientRect().right > innerWidth + 0.5);
            return {page: document.documentElement.scrollWidth, root: root.scrollWidth, wide: wide.map(el => el.textContent.slice(0, 30))};
        }""", name)
        assert widths["page"] <= 375 and widths["root"] <= 375 and widths["wide"] == [], widths
        # Each rule reads as a card: the column's heading before each value.
        cell = root.locator("tbody td").first
        assert page.evaluate("el => getComputedStyle(el, '::before').content", cell.element_handle()).startswith('"')
    finally:
        context.close()


@pytest.mark.parametrize("name", ["credit-grade", "attendance-fine", "credit-check"])
def test_printed_the_tables_are_unfolded_and_the_calculator_left_out(site, page, name):
    root = open_chapter(site, page, name)
    page.emulate_media(media="print")
    assert root.locator("details").get_attribute("open") is None     # still folded on screen terms
    for table in root.locator("table").all():
        assert table.is_visible()
        last = table.locator("tbody tr").last
        assert last.is_visible() and last.bounding_box()["height"] > 0
    assert not page.locator(f'[data-calculator="{name}"]').is_visible()
    assert not page.locator(".tool-block > p").first.is_visible()    # the calculator's introduction
    # Not cut: no table is wider than the printed page's text.
    assert page.evaluate("""(name) => {
        const root = document.querySelector(`[data-decision-table="${name}"]`);
        return [...root.querySelectorAll("table")].every(t => t.scrollWidth <= root.clientWidth + 1);
    }""", name)


def test_a_clause_cited_in_a_table_opens_beside_it(site, page):
    root = open_chapter(site, page, "credit-application")
    root.locator("summary").click()
    address = page.url
    # One on this page (XY-04) and one in another document (KH-02).
    for href in ("#XY-04-6-2", "KH-02/#KH-02-17"):
        link = root.locator(f'a.decision-table__clause[href$="{href}"]').first
        label = link.inner_text()
        link.click()
        peek = page.locator(".clause-peek")
        peek.wait_for(state="visible")
        assert label in page.inner_text(".clause-peek__title")
        page.locator(".clause-peek__text").wait_for(state="visible")
        assert page.url == address
        page.keyboard.press("Escape")
        peek.wait_for(state="hidden")


def test_an_unfolded_table_has_no_serious_accessibility_violation(site, browser):
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        root = open_chapter(site, page, "credit-check")
        root.locator("summary").click()
        assert violations(page) == []
    finally:
        context.close()
