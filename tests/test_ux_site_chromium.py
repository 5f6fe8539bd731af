"""Around the calculators, in Chromium at 1366 px and 390 px: footer and owner, the control
block and revision log readable, the register in navigation order, search that leads to
the rules (codes, 呆账, no interface text, the appendix not first), redline contrast (WCAG
AA), and 计算器一览 written for staff."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = pytest.mark.chromium

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# WCAG 2 contrast of the element's text colour on the nearest opaque background.
CONTRAST = """
el => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const over = (top, bottom) => { const a = top[3] === undefined ? 1 : top[3]; return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)); };
  let bg = [255, 255, 255], chain = [];
  for (let n = el; n; n = n.parentElement) chain.unshift(rgb(getComputedStyle(n).backgroundColor));
  for (const c of chain) if (c[3] !== 0) bg = over(c, bg);
  let op = 1;
  for (let n = el; n; n = n.parentElement) op *= parseFloat(getComputedStyle(n).opacity);
  const fg = over([...over(rgb(getComputedStyle(el).color), bg), op], bg);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


@pytest.fixture(scope="module", params=list(WIDTHS))
def page(request, browser):
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[request.param])
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def test_footer_names_the_company_and_internal_use_and_the_owner_answers_questions(page, site):
    page.goto(site.url + "xinyong/XY-03/")
    footer = page.inner_text(".md-footer")
    assert "有限公司" in footer and "内部资料" in footer
    strip = page.inner_text(".doc-strip")
    assert "归口部门" in strip and "解释与问询" in strip
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_control_block_and_revision_log_read_on_every_width(page, site):
    page.goto(site.url + "xinyong/XY-03/")
    page.click(".doc-strip details > summary")       # the rest of the control block, folded
    # Ruled: cells on a wide screen; each row (a card) on a phone.
    for table in ("table.doc-control", "table.revision-log"):
        ruled = page.locator(table).evaluate("""t => [t.querySelector('td'), t.querySelector('tbody tr')]
            .some(n => getComputedStyle(n).borderTopStyle !== 'none' || getComputedStyle(n).borderBottomStyle !== 'none')""")
        assert ruled, table
    # A date is never broken over two lines ("2026-/11-28").
    lines = page.locator("table.revision-log td, table.doc-control td").evaluate_all("""cells => cells
        .filter(c => /^\\d{4}-\\d\\d-\\d\\d$/.test(c.textContent.trim()))
        .map(c => { const r = document.createRange(); r.selectNodeContents(c);
                    return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; })""")
    assert lines and max(lines) == 1
    # No cell so narrow that its words stand one character per line.
    narrow = page.locator("table.revision-log td, table.doc-control td").evaluate_all("""cells => cells
        .filter(c => c.textContent.trim().length >= 4)
        .filter(c => c.getBoundingClientRect().width < 3 * parseFloat(getComputedStyle(c).fontSize))
        .map(c => c.textContent.trim())""")
    assert narrow == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_register_follows_the_navigation(page, site):
    page.goto(site.url + "reference/register/")
    register = [c for c in page.locator("article table td:first-child").all_inner_texts()
                if re.fullmatch(r"[A-Z]{2}-\d{2}", c.strip())]
    nav = page.locator(".md-nav--primary a.md-nav__link").evaluate_all(
        "links => links.map(a => (a.getAttribute('href').match(/([A-Z]{2}-\\d{2})\\/$/) || [])[1]).filter(Boolean)")
    seen = list(dict.fromkeys(nav))
    assert register == seen and len(register) >= 15


# The answer is on screen: the count Material announces, and as many results listed (it
# lists the first 10 at once), not counting the code's own first result (search-codes.js).
RESULTS_SHOWN = r"""() => {
  const meta = (document.querySelector('.md-search-result__meta') || {}).textContent || '';
  if (!/结果/.test(meta)) return false;
  const count = /没有/.test(meta) ? 0 : Number((meta.match(/(\d+) 个/) || [0, 1])[1]);
  return document.querySelectorAll('.md-search-result__item:not(.search-code)').length === Math.min(count, 10);
}"""


def search(page, site, query):
    page.goto(site.url + "?q=" + query)
    page.wait_for_function(RESULTS_SHOWN)
    return page.locator(".md-search-result__item > a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")


def test_search_leads_to_the_rules(page, site):
    first = search(page, site, "XY-05")[0]
    assert "/xinyong/XY-05/" in first
    first = search(page, site, "KH-02-16")[0]
    assert "/kehu/KH-02/" in first and first.endswith("#KH-02-16")
    for word in ("授信", "逾期", "催款"):
        results = search(page, site, word)
        assert results and "reference/sources/" not in " ".join(results), word
    assert any("glossary" in r or "XY-0" in r for r in search(page, site, "呆账"))
    assert search(page, site, "加载中") == []


def open_search(page):
    """Press s until the search field has the focus: Material's shortcut works once its
    bundle has mounted the search (a fixed pause was flaky on a loaded machine)."""
    focused = "() => document.activeElement && document.activeElement.matches('input.md-search__input')"
    for _ in range(60):
        page.keyboard.press("s")
        try:
            page.wait_for_function(focused, timeout=500)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("the search field never took the focus")


def test_a_code_and_enter_open_the_clause(page, site):
    page.goto(site.url)
    open_search(page)
    page.keyboard.type("KH-02-16")
    page.wait_for_selector(".search-code")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kehu/KH-02/#KH-02-16")


def test_redline_unchanged_text_and_tag_meet_aa(page, site):
    page.goto(site.url + "xinyong/XY-03/")
    page.goto(page.locator("table.revision-log a", has_text="对照").first.evaluate("a => a.href"))
    article = page.locator('.redline__article[data-status="unchanged"]').first
    text = article.locator("p").first
    tag = article.locator(".redline__tag").first
    assert text.evaluate(CONTRAST) >= 4.5
    assert tag.evaluate(CONTRAST) >= 4.5


def test_calculator_index_speaks_to_staff(page, site):
    page.goto(site.url + "calculators/")
    text = page.inner_text("article")
    assert "python -m calc" not in text and "README" not in text
    assert "打印计算记录" in text and "分享" in text
