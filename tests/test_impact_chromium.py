"""The impact and the parameters on the built site (issue 21): a clause's 参数 link leads to
its rows on 参数一览; a version's page shows what its revision changed in decisions, or says
plainly it was not evaluated, in words only (no file, module, field or calculator id)."""

import re

import pytest

from tests.test_a11y_axe import axe_page, violations  # noqa: F401  (the fixture, shared)

pytestmark = pytest.mark.chromium


def test_a_clause_links_to_its_parameters(site, page):
    page.goto(site.url + "fuwu/FW-03/")
    link = page.locator("#FW-03-7 a.clause-params")
    assert link.inner_text() == "参数"
    # Like the ¶, no Tab stop of its own (a document has dozens); arriving at the clause,
    # its ¶ and then its 参数 are the next two.
    stops = page.locator("article .clause-params").evaluate_all("ls => ls.filter(l => l.tabIndex >= 0).length")
    assert stops == 0 and page.locator("article .clause-params").count() > 5
    page.evaluate("location.hash = '#FW-03-7'")
    page.wait_for_function("document.activeElement.id === 'FW-03-7'")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('headerlink')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('clause-params')")
    assert page.evaluate("document.activeElement.parentElement.id") == "FW-03-7"
    link.click()
    page.wait_for_url(re.compile(r"reference/parameters/#p-FW-03-7$"))
    row = page.locator("tr", has=page.locator("#p-FW-03-7"))
    text = row.inner_text()
    assert "FW-03 第七条" in text and "120分钟以上" in text
    assert page.locator("tr", has_text="A类与B类的分界").locator("a", has_text="FW-03 第七条").count() == 1
    # Outside the document's text: not printed with it.
    page.goto(site.url + "fuwu/FW-03/")
    page.emulate_media(media="print")
    assert not page.locator("#FW-03-7 a.clause-params").is_visible()


def test_version_pages_show_the_impact_or_say_it_was_not_evaluated(site, page):
    page.goto(site.url + "kehu/KH-02-v2.0/")
    section = page.locator("[data-revision-impact]")
    assert section.get_attribute("data-impact-state") == "evaluated"
    flips = section.locator("table[data-impact='flips'] tbody tr")
    assert flips.count() >= 1
    first = flips.first.inner_text()
    assert "分级商务条款" in first and "交货日起最长90天" in first and "交货日起最长60天" in first
    assert section.locator("table[data-impact='parameters'] a", has_text="KH-02 第十五条第（一）项").count() == 1
    page.goto(site.url + "fuwu/FW-03-v3.0/")
    assert "未作影响评估" in page.locator("[data-revision-impact]").inner_text()
    page.goto(site.url + "fuwu/FW-03-v1.0/")
    assert "首次发布" in page.locator("[data-revision-impact]").inner_text()



@pytest.mark.parametrize("path", ["reference/parameters/", "fuwu/FW-03/", "kehu/KH-02-v2.0/"],
                         ids=["parameters", "clause-links", "version-impact"])
def test_no_serious_accessibility_violation(site, axe_page, path):  # noqa: F811
    axe_page.goto(site.url + path)
    assert violations(axe_page) == []
