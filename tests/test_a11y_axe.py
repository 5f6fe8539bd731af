"""Accessibility: axe-core (npm, pinned in package-lock.json, injected from node_modules)
finds no serious or critical WCAG 2 A/AA violation on the home page, a document with a
calculator (ready, with a result, with an error), the comparison page and, when the site
has one, the onboarding page."""

import pytest

from tests.support import ROOT, load_cases

pytestmark = pytest.mark.chromium

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CALC = '[data-calculator="credit-grade"]'
CASE = load_cases("credit-grade")["cases"][0]
RUN_AXE = """() => axe.run(document, {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
  resultTypes: ["violations"]
}).then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").split("\\n").slice(1, 2).join(""))
})))"""


@pytest.fixture
def axe_page(browser):
    # The injected axe-core is an inline script: the site's CSP would rightly refuse it.
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def violations(page) -> list:
    # Contrast is judged on the settled page: the theme fades navigation links' colour when
    # the table of contents follows a scroll, and a half-faded grey is not what readers see.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def fill(page, data: dict):
    for key, value in data.items():
        if isinstance(value, bool):
            page.set_checked(f'{CALC} input[name="{key}"]', value)
        else:
            page.fill(f'{CALC} input[name="{key}"]', str(value))


@pytest.mark.parametrize("path", ["", "reference/compare/"], ids=["home", "compare"])
def test_pages_have_no_serious_violation(site, axe_page, path):
    axe_page.goto(site.url + path)
    if path:
        axe_page.wait_for_selector('[data-revision-picker][data-state="ready"]')
    assert violations(axe_page) == []


def test_onboarding_page_has_no_serious_violation(site, axe_page):
    pages = sorted(site.dir.glob("onboarding*/index.html")) + sorted(site.dir.glob("*/onboarding*/index.html"))
    if not pages:
        pytest.skip("this build has no onboarding page")
    axe_page.goto(site.url + pages[0].parent.relative_to(site.dir).as_posix() + "/")
    assert violations(axe_page) == []


def test_calculator_ready_with_result_and_with_error(site, axe_page):
    axe_page.goto(site.url + "xinyong/XY-03/")
    axe_page.wait_for_selector(f'{CALC}[data-state="ready"]')
    assert violations(axe_page) == [], "ready"
    fill(axe_page, CASE["input"])
    axe_page.click(f"{CALC} button[type=submit]")
    axe_page.wait_for_selector(f"{CALC} .calc__result[data-outcome]")
    assert violations(axe_page) == [], "with a result"
    fill(axe_page, {"cooperation_years": "三年"})
    axe_page.click(f"{CALC} button[type=submit]")
    axe_page.wait_for_selector(f"{CALC} .calc__error:not([hidden])")
    assert violations(axe_page) == [], "with an error"
