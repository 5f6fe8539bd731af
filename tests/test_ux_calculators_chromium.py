"""Calculators that staff read right, in Chromium at 1366 px and on a 390 px phone: never a
stale or lost answer, answers that read right, input as people type it, keep and share.
One page per calculator and width, shared by the tests of this module (a boot costs seconds)."""

import json
import re

import pytest

from calc.registry import run_form

pytestmark = pytest.mark.chromium

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
GRADE = '[data-calculator="credit-grade"]'
# A customer that meets every A condition (XY-03 第四条), as staff type it.
GRADE_A = {"cooperation_years": "3", "defaults_2y": "0", "lawful_and_reliable": True, "good_operation_2y": True,
           "strong_solvency": True, "meets_annual_targets": True}
# Delays the worker's "form" messages while window.__slow is set: a calculation that takes
# more than a second, without touching the calculator.
SLOW_WORKER = """
(() => {
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (m, t) {
    if (m && m.type === "form" && window.__slow) setTimeout(() => post.call(this, m, t), window.__slow);
    else post.call(this, m, t);
  };
})();
"""


@pytest.fixture(scope="module", params=list(WIDTHS))
def width(request):
    return request.param


def open_page(browser, site, width, path, root):
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[width], is_mobile=width == "phone",
                                  has_touch=width == "phone")
    context.add_init_script(SLOW_WORKER)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(site.url + path)
    page.wait_for_selector(f'{root}[data-state="ready"]', timeout=120_000)
    return context, page


@pytest.fixture(scope="module")
def grade_page(browser, site, width):
    context, page = open_page(browser, site, width, "xinyong/XY-03/", GRADE)
    yield page
    context.close()


def fill(page, root, raw):
    page.locator(f"{root} form").evaluate("f => f.reset()")
    for name, value in raw.items():
        if isinstance(value, bool):
            page.set_checked(f'{root} [name="{name}"]', value)
        else:
            page.fill(f'{root} [name="{name}"]', value)


def compute(page, root):
    page.click(f"{root} button[type=submit]")
    page.wait_for_selector(f"{root} .calc__result[data-outcome]:not([hidden]), {root} .calc__error:not([hidden])")


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


# --- never a stale or lost answer ----------------------------------------------------------

def test_same_page_clause_links_keep_what_was_typed_and_the_result(grade_page):
    page = grade_page
    fill(page, GRADE, GRADE_A)
    compute(page, GRADE)
    page.evaluate("window.__samePage = 1")
    # A clause cited by the calculator opens beside it (clause-peek.js), the address untouched.
    for selector in (f"{GRADE} .calc__help a.calc__clause", f"{GRADE} .calc__checks a.calc__clause"):
        link = page.locator(selector).first
        address = page.evaluate("location.href")
        link.click()
        page.locator(".clause-peek").wait_for(state="visible")
        assert link.inner_text() in page.inner_text(".clause-peek__title")
        assert page.evaluate("location.href") == address
        page.keyboard.press("Escape")
        page.locator(".clause-peek").wait_for(state="hidden")
        assert page.evaluate("window.__samePage") == 1, f"{selector}: the page was loaded again"
        assert page.input_value(f'{GRADE} [name="cooperation_years"]') == "3"
        assert page.get_attribute(f"{GRADE} .calc__result", "data-outcome") == "A"
    # A clause link in the text scrolls to the clause on this page (to the top, under the
    # header) and flashes it; Back returns to where the reader was, on the same page.
    link = page.locator('article a[href*="#XY-03-4"]:not(.headerlink):not(.calc__clause)').first
    target = link.evaluate("a => decodeURIComponent(new URL(a.href).hash.slice(1))")
    link.scroll_into_view_if_needed()
    before = page.evaluate("[location.hash, scrollY]")
    link.click()
    page.wait_for_function("id => location.hash === '#' + id", arg=target)
    assert page.evaluate("window.__samePage") == 1
    assert page.locator(f'[id="{target}"]').evaluate("n => n.classList.contains('is-flash')")
    top = page.locator(f'[id="{target}"]').bounding_box()["y"]
    header = page.locator(".md-header").bounding_box()
    assert header["y"] + header["height"] <= top <= header["y"] + header["height"] + 60
    page.wait_for_timeout(300)
    assert page.evaluate("location.hash") == "#" + target      # no scroll spy renaming it
    page.evaluate("history.back()")
    page.wait_for_function("h => location.hash === h", arg=before[0])
    page.wait_for_function("y => Math.abs(scrollY - y) < 5", arg=before[1])
    assert page.evaluate("window.__samePage") == 1
    assert page.get_attribute(f"{GRADE} .calc__result", "data-outcome") == "A"
    # Enter on a help link (keyboard) opens it too.
    page.locator(f"{GRADE} .calc__help a.calc__clause").first.focus()
    page.keyboard.press("Enter")
    page.locator(".clause-peek").wait_for(state="visible")
    page.keyboard.press("Escape")
    assert page.evaluate("window.__samePage") == 1
    assert page.get_attribute(f"{GRADE} .calc__result", "data-outcome") == "A"


def test_a_change_marks_the_result_out_of_date_and_an_invalid_entry_removes_it(grade_page):
    page = grade_page
    fill(page, GRADE, GRADE_A)
    compute(page, GRADE)
    page.fill(f'{GRADE} [name="cooperation_years"]', "三年")
    result = page.locator(f"{GRADE} .calc__result")
    assert result.get_attribute("data-stale") == "1" and result.get_attribute("data-outcome") is None
    assert "不再对应" in page.inner_text(f"{GRADE} .calc__stale")
    compute(page, GRADE)
    assert result.is_hidden() and page.locator(f"{GRADE} .calc__checks").count() == 0
    field = page.locator(f'{GRADE} [name="cooperation_years"]')
    assert field.get_attribute("aria-invalid") == "true"
    message_id = field.get_attribute("aria-describedby").split()[0]
    message = page.inner_text(f'[id="{message_id}"]')
    assert message.startswith("双方业务合作年限") and "三年" in message and "cooperation_years" not in message
    assert "cooperation_years" not in page.inner_text(f"{GRADE} .calc__error")
    assert page.evaluate("document.activeElement.name") == "cooperation_years"
    outline = field.evaluate("f => getComputedStyle(f).outlineColor")
    assert outline == "rgb(164, 38, 44)"
    # Mending the field takes its mark away; every other value is still there.
    page.fill(f'{GRADE} [name="cooperation_years"]', "3")
    assert field.get_attribute("aria-invalid") is None
    assert page.input_value(f'{GRADE} [name="defaults_2y"]') == "0"


def test_every_bad_field_is_marked_and_the_first_gets_focus(grade_page):
    page = grade_page
    fill(page, GRADE, {**GRADE_A, "cooperation_years": "", "defaults_2y": "两次"})
    compute(page, GRADE)
    invalid = page.locator(f'{GRADE} [aria-invalid="true"]').evaluate_all("n => n.map(x => x.name)")
    assert invalid == ["cooperation_years", "defaults_2y"]
    assert page.evaluate("document.activeElement.name") == "cooperation_years"
    assert "请填写双方业务合作年限" in page.inner_text(f"{GRADE} .calc__error")


def test_submit_is_off_while_computing_and_says_it_is_working_after_a_second(grade_page):
    page = grade_page
    fill(page, GRADE, GRADE_A)
    page.evaluate("window.__slow = 1800")
    # When the words appear, measured in the page from before the click (not a pause here).
    page.evaluate("""sel => { const w = document.querySelector(sel); const t0 = performance.now();
        window.__shownAfter = null;
        new MutationObserver((_, o) => { if (!w.hidden) { window.__shownAfter = performance.now() - t0; o.disconnect(); } })
            .observe(w, { attributes: true }); }""", f"{GRADE} .calc__working")
    try:
        page.click(f"{GRADE} button[type=submit]")
        assert page.locator(f"{GRADE} button[type=submit]").is_disabled()
        page.wait_for_selector(f"{GRADE} .calc__working:not([hidden])", timeout=5000)
        assert page.evaluate("window.__shownAfter") >= 1000   # after a second, not at once
        assert "正在计算" in page.inner_text(f"{GRADE} .calc__working")
        page.wait_for_selector(f"{GRADE} .calc__result[data-outcome]")
        assert page.locator(f"{GRADE} button[type=submit]").is_enabled()
        assert page.locator(f"{GRADE} .calc__working").is_hidden()
    finally:
        page.evaluate("window.__slow = 0")


# --- answers that read right ----------------------------------------------------------------

def test_result_shows_headline_labels_and_verdicts_in_an_aligned_table(grade_page, width):
    page = grade_page
    fill(page, GRADE, {**GRADE_A, "cooperation_years": "0.5"})
    compute(page, GRADE)
    expected = json.loads(run_form("credit-grade", json.dumps({**GRADE_A, "cooperation_years": "0.5"})))
    assert page.inner_text(f"{GRADE} .calc__outcome-value") == expected["headline"]
    rows = page.locator(f"{GRADE} .calc__checks tbody tr")
    assert rows.count() == len(expected["checks"])
    verdicts = page.locator(f"{GRADE} .calc__verdict").all_inner_texts()
    assert verdicts == [c["verdict"] for c in expected["checks"]]
    labels = page.locator(f"{GRADE} .calc__label").all_inner_texts()
    assert labels == [c["label"] for c in expected["checks"]]
    text = page.inner_text(f"{GRADE} .calc__result")
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), "a program identifier in the result"
    if width == "desktop":
        # Each heading sits over its column.
        heads = page.locator(f"{GRADE} .calc__checks th").evaluate_all("c => c.map(x => x.getBoundingClientRect().left)")
        cells = rows.first.locator("td").evaluate_all("c => c.map(x => x.getBoundingClientRect().left)")
        assert heads == pytest.approx(cells, abs=1)
        box = page.locator(f"{GRADE} .calc__table-wrap").evaluate("w => [w.scrollWidth, w.clientWidth]")
        assert box[0] <= box[1], "the result table is clipped at 1366 px"
    no_sideways_scroll(page)


def test_help_and_options_speak_to_staff_on_every_calculator(browser, site, width):
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[width])
    page = context.new_page()
    page.goto(site.url + "calculators/")
    options = page.locator(".calc select option, .calc .calc__check span").all_inner_texts()
    assert options and not [o for o in options if re.search(r"\b[a-z]+_[a-z_]+\b", o)]
    helps = " ".join(page.locator(".calc__help").all_inner_texts())
    assert "JSON" not in helps and "null" not in helps
    # 留空表示未设 and a required mark do not go together.
    both = page.locator('.calc input[placeholder="留空表示未设"][aria-required="true"]').count()
    assert both == 0
    no_sideways_scroll(page)
    # Keyboard: a help text's clause link is no extra tab stop inside a form.
    stops = page.locator('[data-calculator="credit-grade"] form').evaluate(
        "f => [...f.querySelectorAll('a, input, select, button, summary')].filter(e => e.tabIndex >= 0 && !e.disabled).length")
    controls = page.locator('[data-calculator="credit-grade"] form').evaluate(
        "f => [...f.querySelectorAll('input:not(.calc__datepick), select, button, summary')].length")
    assert stops == controls
    context.close()


def test_submit_button_shows_keyboard_focus(grade_page):
    page = grade_page
    page.locator(f'{GRADE} [name="meets_annual_targets"]').focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    outline = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert outline[0] != "none" and outline[1] >= 2


# --- input as people type it ----------------------------------------------------------------

def test_amounts_and_dates_as_typed_through_the_page(browser, site, width):
    context, page = open_page(browser, site, width, "calculators/", '[data-calculator="filing-deadline"]')
    check = '[data-calculator="credit-check"]'
    fill(page, check, {"credit_limit": "１００，０００元", "receivables": "¥10,000", "open_orders": "1.5万",
                       "order_value": "１００００"})
    page.select_option(f'{check} select[name="risk_category"]', "X1")
    compute(page, check)
    assert page.locator(f"{check} .calc__error").is_hidden(), page.inner_text(f"{check} .calc__error")

    filing = '[data-calculator="filing-deadline"]'
    assert page.locator(f'{filing} input[type="date"].calc__datepick').count() >= 1
    page.select_option(f'{filing} select[name="kind"]', "new")
    page.fill(f'{filing} [name="start"]', "2026-09-28")
    page.fill(f'{filing} [name="holidays"]', "2026-10-01, 2026-10-02")
    compute(page, filing)
    iso = page.get_attribute(f"{filing} .calc__result", "data-outcome")
    page.fill(f'{filing} [name="start"]', "2026年9月28日")
    page.fill(f'{filing} [name="holidays"]', "2026/10/1、2026-10-2")
    compute(page, filing)
    assert iso and page.get_attribute(f"{filing} .calc__result", "data-outcome") == iso
    # The date picker fills the box.
    page.locator(f'{filing} .calc__datepick[data-for$="-start"]').evaluate(
        "p => { p.value = '2026-09-28'; p.dispatchEvent(new Event('change', {bubbles: true})); }")
    assert page.input_value(f'{filing} [name="start"]') == "2026-09-28"
    page.fill(f'{filing} [name="start"]', "2026-02-30")
    compute(page, filing)
    start = page.locator(f'{filing} [name="start"]')
    assert start.get_attribute("aria-invalid") == "true"
    assert "没有这一天" in page.inner_text(f'[id="{start.get_attribute("aria-describedby").split()[0]}"]')
    no_sideways_scroll(page)
    context.close()


# --- keep and share ---------------------------------------------------------------------

def test_a_result_prints_as_a_record(grade_page):
    page = grade_page
    fill(page, GRADE, {**GRADE_A, "cooperation_years": "１.５"})
    compute(page, GRADE)
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.click(f"{GRADE} .calc__print")
    assert page.evaluate("window.__printed") == 1
    record = page.locator("body > .calc-record")
    text = record.text_content()
    expected = json.loads(run_form("credit-grade", json.dumps({**GRADE_A, "cooperation_years": "１.５"})))
    assert "计算记录" in text and expected["headline"] in text
    assert "１.５" in text and "1.5" in text  # as typed, and as read
    assert f"{expected['policy']['document']}《{expected['policy']['title']}》第 {expected['policy']['version']} 版" in text
    assert re.search(r"计算时间：\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", text)
    assert record.locator(".calc-record__checks tbody tr").count() == len(expected["checks"])
    assert "XY-03 第四条" in text
    page.emulate_media(media="print")
    try:
        assert record.is_visible() and page.locator(".md-content").is_hidden()
    finally:
        page.emulate_media(media="screen")
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("body > .calc-record").count() == 0


def test_a_calculation_is_shared_as_a_link_with_the_inputs_in_the_fragment(grade_page, browser, site, width):
    page = grade_page
    fill(page, GRADE, {**GRADE_A, "cooperation_years": "2年"})
    compute(page, GRADE)
    page.click(f"{GRADE} .calc__share")
    link = page.input_value(f"{GRADE} .calc__share-link")
    assert "#calc=credit-grade" in link and "cooperation_years=2" in link and "?" not in link
    other, shared = open_page(browser, site, width, link.split(site.url, 1)[1], GRADE)
    shared.wait_for_selector(f"{GRADE} .calc__result[data-outcome]")
    assert shared.input_value(f'{GRADE} [name="cooperation_years"]') == "2年"
    assert shared.get_attribute(f"{GRADE} .calc__result", "data-outcome") == "A"
    other.close()


def test_printed_document_has_header_page_numbers_and_date_in_the_margins(grade_page):
    page = grade_page
    rules = page.evaluate("[...document.adoptedStyleSheets].map(s => [...s.cssRules].map(r => r.cssText).join(' ')).join(' ')")
    assert "counter(page)" in rules and "counter(pages)" in rules and "打印日期" in rules
    assert "XY-03" in rules and "非受控" in rules
    page.emulate_media(media="print")
    try:
        # The header is drawn in the margin, no longer over the text.
        assert page.locator(".print-header").is_hidden()
    finally:
        page.emulate_media(media="screen")
    assert page.pdf(format="A4")[:4] == b"%PDF"
