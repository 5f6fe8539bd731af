"""Reading and compliance pages as staff use them (issue 19), in Chromium at 1366 px and on a
390 px phone: a clause in a calculator's result is read beside the result, never at the cost
of the calculation; the comparison page always shows the picked comparison, prints it, and
runs no Python; the change register, a document's first screen, swimlanes and 计算器一览
read; filters and dates go into the address; the keyboard reaches the calculator."""

import datetime as dt
import html
import json
import re

import pytest

from calc import redline
from calc.registry import listing
from handbook import revision_pages, revisions, roster

pytestmark = pytest.mark.chromium

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
CHINA = dt.timezone(dt.timedelta(hours=8))
MANIFEST = revisions.load()
XY03 = MANIFEST["XY-03"]                    # 1.0, 1.1, 2.0, 3.0, …
LATEST = XY03[-1]


def removing_pair():
    """The latest consecutive pair of XY-03 versions where an article was removed (2.0 removed
    one; 3.0 only changed articles), so the test reads a removed article whatever comes next."""
    pairs = [(a, b) for a, b in zip(XY03, XY03[1:])
             if redline.compare(revision_pages.article_data(a, revisions.REVISIONS_DIR),
                                revision_pages.article_data(b, revisions.REVISIONS_DIR))["summary"]["removed"]]
    assert pairs, "XY-03 has no revision that removes an article"
    return pairs[-1]
CHECK = '[data-calculator="credit-check"]'
GRADE = '[data-calculator="credit-grade"]'
# An order that passes (XY-05 第十二条): limit 1,000,000 against 600,000 + 200,000 + 300,000 would
# not; 100,000 keeps the exposure at 900,000.
ORDER = {"credit_limit": "1000000", "receivables": "600000", "open_orders": "200000", "order_value": "10万"}
GRADE_A = {"cooperation_years": "3", "defaults_2y": "0", "lawful_and_reliable": True, "good_operation_2y": True,
           "strong_solvency": True, "meets_annual_targets": True}


def context(browser, viewport=DESKTOP, when=None):
    phone = viewport is PHONE
    ctx = browser.new_context(locale="zh-CN", viewport=viewport, is_mobile=phone, has_touch=phone)
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    if when:
        pg.clock.set_fixed_time(when)
    return ctx, pg


@pytest.fixture
def desk(browser):
    ctx, pg = context(browser)
    yield pg
    ctx.close()


@pytest.fixture
def phone(browser):
    ctx, pg = context(browser, PHONE)
    yield pg
    ctx.close()


def clause_text(site, path: str, anchor: str) -> str:
    """The words of a clause (an item's paragraph) as the built page has them, without ¶."""
    page = (site.dir / path / "index.html").read_text(encoding="utf-8")
    m = re.search(rf'<p id="{anchor}">(.*?)<a class="headerlink"', page, re.S)
    return squeeze(html.unescape(re.sub(r"<[^>]+>", "", m[1])))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fill(page, root, raw):
    for name, value in raw.items():
        if isinstance(value, bool):
            page.set_checked(f'{root} [name="{name}"]', value)
        else:
            page.fill(f'{root} [name="{name}"]', value)


def compute(page, root):
    page.click(f"{root} button[type=submit]")
    page.wait_for_selector(f"{root} .calc__result[data-outcome]:not([hidden])")


def inside(box, outer, slack=1):
    return box["x"] >= outer["x"] - slack and box["x"] + box["width"] <= outer["x"] + outer["width"] + slack


def overlaps(a, b):
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or
                a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def one_line(locator) -> list[str]:
    """Texts of the cells that break over more than one line."""
    return locator.evaluate_all("""cells => cells.filter(c => {
        const r = document.createRange(); r.selectNodeContents(c);
        return new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size > 1;
    }).map(c => c.textContent.trim())""")


# --- 1. a clause in a result never costs the calculation ------------------------------------

@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_clause_in_a_result_on_the_calculator_index_opens_beside_the_result(browser, site, viewport):
    ctx, page = context(browser, viewport)
    page.goto(site.url + "calculators/")
    page.wait_for_selector(f'{CHECK}[data-state="ready"]', timeout=120_000)
    fill(page, CHECK, ORDER)
    page.select_option(f'{CHECK} select[name="risk_category"]', "X1")
    compute(page, CHECK)
    outcome = page.get_attribute(f"{CHECK} .calc__result", "data-outcome")
    before = page.evaluate("[location.href, history.length]")
    link = page.locator(f"{CHECK} .calc__checks a.calc__clause", has_text="XY-05 第十二条第（一）项").first
    link.click()
    peek = page.locator(".clause-peek")
    peek.wait_for(state="visible")
    page.locator(".clause-peek__text").wait_for(state="visible")   # fetched from its page
    # The clause's own words, from the document page, beside the result.
    assert clause_text(site, "xinyong/XY-05", "XY-05-12-1") in squeeze(peek.inner_text())
    assert "XY-05 第十二条第（一）项" in peek.inner_text()
    original = peek.locator("a", has_text="打开原文")
    assert original.get_attribute("target") == "_blank"
    assert original.evaluate("a => a.href") == f"{site.url}xinyong/XY-05/#XY-05-12-1"
    # Nothing left the page or was written into its history; what was typed and the result stay.
    assert page.evaluate("[location.href, history.length]") == before
    assert page.input_value(f'{CHECK} [name="order_value"]') == "10万"
    assert page.get_attribute(f"{CHECK} .calc__result", "data-outcome") == outcome
    assert page.locator(f"{CHECK} .calc__result").is_visible()
    # Esc closes it and gives the focus back to the link.
    page.keyboard.press("Escape")
    peek.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.textContent") == "XY-05 第十二条第（一）项"
    # A help text's clause link in the form does the same.
    page.locator(f"{CHECK} .calc__help a.calc__clause").first.click()
    peek.wait_for(state="visible")
    assert page.evaluate("location.href") == before[0]
    assert page.input_value(f'{CHECK} [name="order_value"]') == "10万"
    ctx.close()


def test_a_clause_in_a_result_on_a_document_page_keeps_the_address_and_history(browser, site):
    ctx, page = context(browser)
    page.goto(site.url)
    page.goto(site.url + "xinyong/XY-03/")
    page.wait_for_selector(f'{GRADE}[data-state="ready"]', timeout=120_000)
    fill(page, GRADE, GRADE_A)
    compute(page, GRADE)
    before = page.evaluate("[location.href, history.length, scrollY]")
    page.locator(f"{GRADE} .calc__checks a.calc__clause", has_text="XY-03 第四条第（二）项").first.click()
    page.locator(".clause-peek").wait_for(state="visible")
    assert clause_text(site, "xinyong/XY-03", "XY-03-4-2") in squeeze(page.inner_text(".clause-peek"))
    page.wait_for_timeout(800)       # the theme's scroll tracking would have rewritten the address by now
    assert page.evaluate("[location.href, history.length, scrollY]") == before
    page.keyboard.press("Escape")
    # Back goes where it went before reading the clause: the page before, not a lost form.
    assert page.get_attribute(f"{GRADE} .calc__result", "data-outcome") == "A"
    page.go_back()
    page.wait_for_url(site.url)
    ctx.close()


# --- 2. the comparison page ----------------------------------------------------------------

def picked(page):
    return page.evaluate("""() => {
        const r = document.querySelector('.picker__result'), f = document.querySelector('.picker__form').elements;
        return [r.dataset.compared || '', r.hasAttribute('data-stale'), f.document.value + ':' + f.old.value + '-' + f.new.value];
    }""")


def test_the_comparison_always_matches_the_selection_and_names_the_document(desk, site):
    page = desk
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site.url + "reference/compare/")
    page.wait_for_selector(".picker__result[data-compared]")
    start = picked(page)[0]
    other = "XY-03" if not start.startswith("XY-03") else "KH-02"
    page.select_option('.picker__form select[name="document"]', other)
    compared, stale, selection = picked(page)
    assert compared == selection or stale, "a diff of another selection shown as if current"
    # Compared on change, without pressing 对照.
    page.wait_for_function("s => document.querySelector('.picker__result').dataset.compared === s "
                           "&& !document.querySelector('.picker__result').hasAttribute('data-stale')",
                           arg=picked(page)[2])
    title = json.loads(page.get_attribute("[data-revision-picker]", "data-revision-picker"))[other]["title"]
    summary = page.inner_text(".picker__result .picker__heading")
    assert summary.startswith(f"{other} {title}")
    page.select_option('.picker__form select[name="old"]', XY03[0].version if other == "XY-03" else MANIFEST[other][0].version)
    compared, stale, selection = picked(page)
    assert compared == selection or stale
    page.wait_for_function("s => document.querySelector('.picker__result').dataset.compared === s", arg=selection)
    # No Python for a comparison: no Pyodide, no calculator worker.
    assert not [u for u in requests if "pyodide" in u or "calc-worker" in u or "/wheels/" in u]


@pytest.mark.parametrize("query,words", [
    ("?doc=xy-03&old=1.1&new=2.0", None),
    ("?doc=XY-03&old=2.0&new=1.1", "晚于"),
    ("?doc=XY-03&old=2.0&new=2.0", "相同"),
])
def test_comparison_links_take_lower_case_and_say_when_the_order_is_reversed_or_the_same(desk, site, query, words):
    page = desk
    page.goto(site.url + "reference/compare/" + query)
    page.wait_for_selector('[data-revision-picker][data-state="ready"]')
    status = page.inner_text(".picker__status")
    assert "没有文件" not in status
    assert page.input_value('.picker__form select[name="document"]') == "XY-03"
    if words is None:
        page.wait_for_selector('.picker__result[data-compared="XY-03:1.1-2.0"]')
    else:
        assert words in page.inner_text(".picker__notice")


def test_the_browser_redline_is_the_builds_on_every_released_pair(desk, site):
    """redline.js against calc/redline.py, both ways round, for every two versions of every
    released document, and for made-up revisions (bench/revisions.py's generator)."""
    from bench.revisions import handbook
    from handbook import articles

    page = desk
    page.goto(site.url + "reference/compare/")
    page.wait_for_selector('[data-revision-picker][data-state="ready"]')
    cases = []
    for number, revs in MANIFEST.items():
        data = {r.version: revision_pages.article_data(r, revisions.REVISIONS_DIR) for r in revs}
        cases += [(data[a.version], data[b.version], f"第 {a.version} 版", f"第 {b.version} 版")
                  for a in revs for b in revs if a is not b]
    for versions in handbook(12, 25, 3, seed=19).values():
        cut = [articles.tokenised(v) for v in versions]
        cases += [(x, y, "旧", "新") for x in cut for y in cut if x is not y]
    assert len(cases) >= 40
    for old, new, a, b in cases:
        want = redline.render(redline.compare(old, new), a, b)
        got = page.evaluate("([o, n, a, b]) => HandbookRedline.render(HandbookRedline.compare(o, n), a, b)",
                            [old, new, a, b])
        assert got == want, (a, b, old[0]["id"] if old else "")


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_the_picked_comparison_prints_under_a_header_naming_document_and_versions(desk, site):
    page = desk
    page.goto(site.url + f"reference/compare/?doc=XY-03&old={XY03[0].version}&new={LATEST.version}")
    page.wait_for_selector(f'.picker__result[data-compared="XY-03:{XY03[0].version}-{LATEST.version}"]')
    page.check("[data-changed-only]")
    page.emulate_media(media="print")
    assert page.locator(".picker__form").is_hidden()
    assert page.locator(".picker__result").is_visible()
    changed = page.locator('.picker__result .redline__view--inline .redline__article:not([data-status="unchanged"])')
    assert changed.first.is_visible()
    unchanged = page.locator('.picker__result .redline__article[data-status="unchanged"]')
    assert unchanged.count() == 0 or unchanged.first.is_hidden()
    heading = page.inner_text(".picker__result .picker__heading")
    assert "XY-03" in heading and f"第 {XY03[0].version} 版" in heading and f"第 {LATEST.version} 版" in heading
    rules = page.evaluate("[...document.adoptedStyleSheets].map(s => [...s.cssRules].map(r => r.cssText).join(' ')).join(' ')")
    assert "XY-03" in rules and f"第 {XY03[0].version} 版" in rules and "非受控" in rules
    # The tracked changes run on from page to page, not pushed whole to a later one.
    assert page.locator(".picker__result details.redline__view").first.evaluate("d => getComputedStyle(d).breakInside") != "avoid"
    assert pdf_pages(page.pdf(format="A4")) >= 3


def test_a_static_redline_prints_with_its_header(desk, site):
    page = desk
    old, new = removing_pair()
    page.goto(site.url + f"xinyong/XY-03-redline-{old.version}-{new.version}/")
    rules = page.evaluate("[...document.adoptedStyleSheets].map(s => [...s.cssRules].map(r => r.cssText).join(' ')).join(' ')")
    assert "@top-left" in rules and "XY-03" in rules and f"第 {old.version} 版" in rules and f"第 {new.version} 版" in rules
    page.emulate_media(media="print")
    assert page.locator("details.redline__view").first.evaluate("d => getComputedStyle(d).breakInside") != "avoid"
    # L4: no stray Markdown quote mark in the removed article's text.
    removed = page.locator('.redline__view--inline .redline__article[data-status~="removed"]')
    assert removed.count() >= 1
    for text in removed.all_inner_texts():
        assert not re.search(r"(^|\n)\s*>", text), text


# --- 3. tables and pages that read --------------------------------------------------------

# Short columns stay on one line; 状态 may wrap ("将于 … 生效；在此之前适用第 … 版") but is never crushed.
CHANGES_SHORT = ["发布日期", "版本", "生效日期", "变更类型", "批准", "对照"]


def column(page, name):
    heads = page.locator("table.changes thead th").all_inner_texts()
    return page.locator(f"table.changes tbody tr:not([hidden]) td:nth-child({heads.index(name) + 1})")


@pytest.mark.parametrize("when", [None, dt.datetime(2026, 11, 29, 10, 0, tzinfo=CHINA)], ids=["today", "pending"])
def test_the_change_register_reads_like_the_document_register_at_1366(browser, site, when):
    ctx, page = context(browser, DESKTOP, when)
    page.goto(site.url + "reference/register/")
    register = page.locator("article table").first.evaluate(
        "t => [getComputedStyle(t.querySelector('th')).backgroundColor, getComputedStyle(t.querySelector('td')).borderTopStyle]")
    page.goto(site.url + "reference/changes/")
    table = page.locator("table.changes")
    style = table.evaluate("t => [getComputedStyle(t.querySelector('th')).backgroundColor, getComputedStyle(t.querySelector('td')).borderTopStyle]")
    assert style == register
    for name in CHANGES_SHORT:
        assert one_line(column(page, name)) == [], name
    assert column(page, "状态").first.bounding_box()["width"] >= 5 * 12
    summary = column(page, "变更摘要").first.bounding_box()["width"]
    widths = {n: column(page, n).first.bounding_box()["width"] for n in CHANGES_SHORT}
    assert summary > max(widths.values()), widths
    content = page.locator(".md-content").bounding_box()
    assert inside(table.bounding_box(), content)
    for sidebar in page.locator(".md-sidebar").all():
        if sidebar.is_visible():
            assert not overlaps(table.bounding_box(), sidebar.bounding_box())
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth + 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    ctx.close()


def test_the_change_register_is_labelled_cards_on_a_phone(phone, site):
    page = phone
    page.goto(site.url + "reference/changes/")
    rows = page.locator("table.changes tbody tr")
    assert rows.first.evaluate("r => getComputedStyle(r).display") != "table-row"
    assert page.locator("table.changes thead").evaluate("h => h.getBoundingClientRect().height") <= 1
    labels = rows.first.locator("td").evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    assert '"发布日期："' in labels and '"变更摘要："' in labels
    narrow = page.locator("table.changes td").evaluate_all("""cells => cells
        .filter(c => c.textContent.trim().length >= 4)
        .filter(c => c.getBoundingClientRect().width < 6 * parseFloat(getComputedStyle(c).fontSize))
        .map(c => c.textContent.trim())""")
    assert narrow == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def strip_of(page):
    return page.locator(".doc-strip")


@pytest.mark.parametrize("when", [None, dt.datetime(2026, 11, 29, 10, 0, tzinfo=CHINA)], ids=["today", "pending"])
def test_a_document_leads_with_a_control_strip_and_its_rules(browser, site, when):
    ctx, page = context(browser, DESKTOP, when)
    page.goto(site.url + "xinyong/XY-03/")
    strip = strip_of(page)
    text = strip.inner_text()
    for words in ("XY-03", LATEST.version, LATEST.effective, roster.name("finance")):
        assert words in text
    assert strip.locator("[data-revision-status]").is_visible()
    # The rest of the control table is folded; the first chapter is on the first screen.
    assert page.locator("table.doc-control").is_hidden()
    page.locator(".doc-strip details > summary").click()
    assert page.locator("table.doc-control").is_visible()
    assert revisions.head(revisions.entries()) in page.inner_text("table.doc-control")
    page.locator(".doc-strip details > summary").click()
    assert page.locator("article h2").first.bounding_box()["y"] < DESKTOP["height"]
    # The revision log follows the rules, and never runs under the table of contents.
    log = page.locator("table.revision-log")
    last = page.locator("article h3").last.bounding_box()["y"]
    assert log.bounding_box()["y"] > last
    content = page.locator(".md-content").bounding_box()
    for box in (log.bounding_box(), strip.bounding_box()):
        assert inside(box, content)
        toc = page.locator(".md-sidebar--secondary")
        assert not overlaps(box, toc.bounding_box())
    summary = page.locator("table.revision-log tbody tr").first.locator("td").nth(5)
    assert summary.bounding_box()["width"] >= 10 * 12
    # In print too: the strip first, the log after the rules.
    page.emulate_media(media="print")
    assert strip.is_visible() and strip.bounding_box()["y"] < page.locator("article h2").first.bounding_box()["y"]
    assert page.locator("table.doc-control").is_visible()        # the chain head goes on paper
    assert log.bounding_box()["y"] > page.locator("article h3").last.bounding_box()["y"]
    ctx.close()


def test_swimlanes_keep_their_lane_names_in_sight_and_show_they_scroll(desk, site):
    page = desk
    page.goto(site.url + "xinyong/XY-03/")
    lanes = page.locator(".lanes").first
    assert lanes.evaluate("l => l.scrollWidth > l.clientWidth")
    hint = lanes.locator("xpath=preceding-sibling::*[1]")
    assert hint.get_attribute("class") == "lanes__hint"
    assert hint.is_visible() and "左右" in hint.inner_text()
    assert lanes.get_attribute("data-more") in ("right", "both")
    lanes.evaluate("l => { l.scrollLeft = l.scrollWidth; l.dispatchEvent(new Event('scroll')); }")
    page.wait_for_function("l => l.dataset.more === 'left'", arg=lanes.element_handle())
    # With the last step in sight, the lane names are in sight too (not under the page header).
    page.locator(".lanes").first.locator("tbody tr").last.scroll_into_view_if_needed()
    page.locator(".lanes").first.locator("tbody tr").last.evaluate("r => r.scrollIntoView({block: 'end'})")
    th = lanes.locator("thead th").first.bounding_box()
    header = page.locator(".md-header").bounding_box()
    assert th["y"] >= header["y"] + header["height"] - 1 and th["y"] + th["height"] <= DESKTOP["height"]


def test_on_a_phone_a_process_is_its_step_list(phone, site):
    page = phone
    page.goto(site.url + "xinyong/XY-03/")
    assert page.locator(".lanes").first.is_hidden()
    steps = page.locator("table[data-lane-steps]").first
    assert steps.is_visible()
    title = page.locator(".lanes caption").first.text_content()
    assert title in steps.inner_text()
    assert steps.locator("tbody tr").first.evaluate("r => getComputedStyle(r).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_calculator_index_lists_its_calculators_first_with_readable_anchors(desk, site):
    page = desk
    page.goto(site.url + "calculators/")
    names = [e["name"] for e in listing()]
    assert page.locator("article h2").evaluate_all("hs => hs.map(h => h.id)") == names
    links = page.locator(".calc-list a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert [h.split("#")[-1] for h in links] == names
    assert page.locator(".calc-list").bounding_box()["y"] < DESKTOP["height"]
    assert page.locator(".calc-list").bounding_box()["y"] < page.locator("[data-calculator]").first.bounding_box()["y"]
    page.goto(site.url + "calculators/#credit-check")
    page.wait_for_timeout(300)
    box = page.locator("h2#credit-check").bounding_box()
    assert 0 <= box["y"] < DESKTOP["height"] / 2


# --- 4. the address, empty results, dates as dates, the version in force ------------------------

def test_change_register_filters_go_into_the_address_and_an_empty_one_says_so(desk, site):
    page = desk
    page.goto(site.url + "reference/changes/")
    page.select_option('[data-changes-filter] select[name="document"]', "XY-03")
    page.fill('[data-changes-filter] input[name="from"]', "2026-01-01")
    assert "document=XY-03" in page.url and "from=2026-01-01" in page.url
    page.goto(site.url + "reference/changes/?document=XY-03&from=2026-01-01")
    assert page.input_value('[data-changes-filter] select[name="document"]') == "XY-03"
    assert page.locator("table.changes tbody tr:not([hidden])").count() == len(XY03)
    empty = page.locator(".changes__empty")
    assert empty.is_hidden()
    # A five-digit year is a date after 2026, not a text before it.
    page.locator('[data-changes-filter] input[name="from"]').evaluate(
        "i => { i.value = '12025-01-01'; i.dispatchEvent(new Event('input', {bubbles: true})); }")
    assert page.locator("table.changes tbody tr:not([hidden])").count() == 0
    assert empty.is_visible() and "没有符合条件的发布" in empty.inner_text()
    page.locator('[data-changes-filter] input[name="from"]').evaluate(
        "i => { i.value = ''; i.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.locator('[data-changes-filter] input[name="to"]').evaluate(
        "i => { i.value = '12025-01-01'; i.dispatchEvent(new Event('input', {bubbles: true})); }")
    assert page.locator("table.changes tbody tr:not([hidden])").count() == len(XY03)
    assert empty.is_hidden()


def test_point_in_time_puts_its_date_in_the_address_and_reads_dates_as_dates(desk, site):
    page = desk
    page.goto(site.url + "reference/point-in-time/")
    page.fill('[data-point-in-time] input[name="date"]', "2027-06-30")
    page.click("[data-point-in-time] button")
    assert "date=2027-06-30" in page.url
    page.goto(site.url + "reference/point-in-time/?date=12025-01-01")
    row = page.locator('.pit__result tr[data-document="XY-03"]')
    assert row.get_attribute("data-version") == LATEST.version
    # Before any version took effect there is nothing to compute by.
    page.goto(site.url + "reference/point-in-time/?date=2000-01-01")
    row = page.locator('.pit__result tr[data-document="XY-03"]')
    assert row.get_attribute("data-version") == "" and "计算" not in row.inner_text()


def test_a_superseded_version_names_the_version_in_force(browser, site):
    when = dt.datetime.combine(dt.date.fromisoformat(LATEST.effective), dt.time(10), CHINA)
    ctx, page = context(browser, DESKTOP, when)
    page.goto(site.url + f"xinyong/XY-03-v{XY03[0].version}/")
    banner = page.locator("[data-revision-banner]")
    assert banner.get_attribute("data-revision-state") == "superseded"
    assert f"现行版本为第 {LATEST.version} 版" in banner.inner_text()
    link = banner.locator("a", has_text=f"第 {LATEST.version} 版").first
    assert link.evaluate("a => a.href") == f"{site.url}xinyong/XY-03-v{LATEST.version}/"
    ctx.close()


# --- 5. keyboard ------------------------------------------------------------------------------

def tabs_to(page, predicate_js, limit=200):
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return n
    return None


def test_a_skip_link_leads_to_the_calculator(desk, site):
    page = desk
    page.goto(site.url + "xinyong/XY-03/")
    page.wait_for_timeout(300)
    n = tabs_to(page, "document.activeElement.textContent.trim() === '跳到计算器'", limit=3)
    assert n is not None and n <= 2
    page.keyboard.press("Enter")
    assert page.evaluate("!!document.activeElement.closest('[data-calculator]')")
    assert page.evaluate("document.activeElement.tagName") in ("INPUT", "SELECT")
    page.goto(site.url + "reference/changes/")
    page.wait_for_timeout(300)
    assert page.locator("a", has_text="跳到计算器").count() == 0


def test_permalinks_are_no_tab_stop_but_reachable_from_their_clause(desk, site):
    page = desk
    page.goto(site.url + "xinyong/XY-03/")
    stops = page.locator("article .headerlink").evaluate_all("ls => ls.filter(l => l.tabIndex >= 0).length")
    assert stops == 0
    # Fewer stops before the first field than the 106 of the review, without the skip link too.
    n = tabs_to(page, "document.activeElement.name === 'cooperation_years'", limit=120)
    assert n is not None and n <= 80
    # Arriving at a clause (the table of contents, a link), its ¶ is the next Tab stop.
    page.locator(".md-sidebar--secondary a[href$='#XY-03-4']").first.click()
    page.wait_for_function("location.hash === '#XY-03-4'")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('headerlink')")
    assert page.evaluate("document.activeElement.href").endswith("/xinyong/XY-03/#XY-03-4")
    assert page.evaluate("document.activeElement.parentElement.id") == "XY-03-4"
