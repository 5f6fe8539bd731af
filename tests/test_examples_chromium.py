"""The chapters' 案例 in the browser (issue 21): a chapter shows its calculator's cases with
their answer, why and clause; 在计算器中试算 fills the calculator (an empty form, then the
case) and gives the case's answer, a form's case through the link's fragment and a customer
list as an uploaded file; a phone shows them without sideways scrolling, and they print."""

import os
from pathlib import Path

import pytest

from calc.registry import run
from handbook import clauses, worked_examples

SHOTS = Path(os.environ.get("EXAMPLES_SHOTS", "/tmp/examples-shots"))
GRADE = '[data-calculator="credit-grade"]'

pytestmark = pytest.mark.chromium


def card(page, case: dict):
    return page.locator(f'.worked-example[data-case="{case["name"]}"]')


def try_case(page, root: str, case: dict) -> str | None:
    card(page, case).locator("a[data-example-try]").click()
    page.wait_for_selector(f"{root} .calc__result[data-outcome], {root} .calc__error:not([hidden])")
    return page.get_attribute(f"{root} .calc__result", "data-outcome")


def test_a_chapter_shows_its_cases_and_trying_one_gives_its_answer(site, page):
    page.goto(site.url + "xinyong/XY-03/")
    shown = worked_examples.examples("credit-grade")
    cards = page.locator('[data-worked-examples="credit-grade"] .worked-example')
    assert cards.count() == len(shown)
    for case in shown:
        text = card(page, case).inner_text()
        assert run("credit-grade", case["input"])["headline"] in text and case["why"] in text
        link = card(page, case).locator(".worked-example__clause")
        assert link.inner_text() == clauses.label(case["clause"])
        assert link.evaluate("a => new URL(a.href).hash") == f"#{case['clause']}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator('[data-worked-examples="credit-grade"]').screenshot(path=str(SHOTS / "xy03-cases-desktop.png"))

    page.wait_for_selector(f'{GRADE}[data-state="ready"]')
    # A C case with a count of broken promises, then an A case without one: the form is
    # emptied before each case, so nothing of the first stays in the second.
    c_case = next(c for c in shown if "broken_promises" in c["input"] and c["expect"]["grade"] == "C")
    a_case = next(c for c in shown if c["expect"]["grade"] == "A" and "broken_promises" not in c["input"])
    for case in (c_case, a_case):
        assert try_case(page, GRADE, case) == case["expect"]["grade"] == card(page, case).get_attribute("data-outcome")
        assert page.inner_text(f"{GRADE} .calc__outcome-value") == run("credit-grade", case["input"])["headline"]
        assert page.input_value(f'{GRADE} [name="cooperation_years"]') == str(case["input"]["cooperation_years"])
        assert page.evaluate("location.hash").startswith("#calc=credit-grade&")
    assert page.input_value(f'{GRADE} [name="broken_promises"]') == ""
    page.locator(GRADE).screenshot(path=str(SHOTS / "xy03-tried.png"))


def test_a_customer_list_case_is_uploaded_to_the_tiering_calculator(site, page):
    page.goto(site.url + "kehu/KH-02/")
    root = '[data-calculator="customer-tiering"]'
    page.wait_for_selector(f'{root}[data-state="ready"]')
    case = next(c for c in worked_examples.examples("customer-tiering") if c["expect"]["tiers"]["D"] == 1)
    outcome = try_case(page, root, case)
    assert outcome == card(page, case).get_attribute("data-outcome") == " ".join(
        f"{k}={v}" for k, v in case["expect"]["tiers"].items())


@pytest.mark.parametrize("path,name", [("xinyong/XY-03/", "credit-grade"), ("xinyong/XY-05/", "credit-check"),
                                       ("kehu/KH-02/", "customer-tiering")])
def test_cases_fit_a_phone_and_print(site, page, path, name):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site.url + path)
    block = page.locator(f'[data-worked-examples="{name}"]')
    block.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for box in block.locator(".worked-example").all():
        b = box.bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= 375
    if name == "credit-grade":
        block.screenshot(path=str(SHOTS / "xy03-cases-phone.png"))
    page.emulate_media(media="print")
    assert block.locator(".worked-example").first.is_visible()
    assert not block.locator(".worked-example__try").first.is_visible()
    assert not page.locator(f'[data-calculator="{name}"]').is_visible()
    if name == "credit-grade":
        pdf = SHOTS / "xy03-print.pdf"
        page.pdf(path=str(pdf), format="A4")
        assert pdf.stat().st_size > 0
