"""Offline: the service worker keeps the calculators' runtime and the pages visited; with
the network cut, a reload of each calculator page still answers. Each build has its own
cache name, made from the digest of its files."""

from urllib.parse import urlparse

import pytest

from handbook import offline
from tests.support import load_cases, wait_until

CASE = load_cases("credit-grade")["cases"][0]
PAGES = {"xinyong/XY-03/": "credit-grade", "kehu/KH-02/": "tier-terms"}

KEPT = """async (page) => {
  const root = document.querySelector('[data-calculator]');
  const wheel = new URL(root.dataset.wheel, document.baseURI).href;
  return !!navigator.serviceWorker.controller && !!(await caches.match(wheel)) &&
         !!(await caches.match(location.href.split('#')[0]));
}"""


@pytest.mark.chromium
def test_calculator_pages_answer_after_the_network_is_cut(site, browser):
    context = browser.new_context(locale="zh-CN")
    hosts = set()
    context.on("request", lambda r: hosts.add(urlparse(r.url).hostname))
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        for path, name in PAGES.items():
            page.goto(site.url + path)
            page.wait_for_selector(f'[data-calculator="{name}"][data-state="ready"]')
            wait_until(page, KEPT)
        context.set_offline(True)
        for path, name in PAGES.items():
            page.goto(site.url + path)
            page.wait_for_selector(f'[data-calculator="{name}"][data-state="ready"]')
        page.goto(site.url + "xinyong/XY-03/")
        page.wait_for_selector('[data-calculator="credit-grade"][data-state="ready"]')
        result = page.evaluate("i => HandbookRuntime.call('credit-grade', i)", CASE["input"])
        assert result["grade"] == CASE["expect"]["grade"]
        page.reload()
        page.wait_for_selector('[data-calculator="credit-grade"][data-state="ready"]')
        assert page.evaluate("i => HandbookRuntime.call('credit-grade', i)", CASE["input"])["grade"] == "A"
        assert hosts == {"127.0.0.1"}, hosts  # the service worker's requests too
    finally:
        context.close()


@pytest.mark.build
def test_the_service_worker_names_its_cache_after_the_build(site, tmp_path):
    text = (site.dir / "sw.js").read_text(encoding="utf-8")
    assert "@BUILD@" not in text and f'const BUILD = "{offline.build_digest(site.dir)}"' in text
    (tmp_path / "a.html").write_text("one", encoding="utf-8")
    first = offline.build_digest(tmp_path)
    (tmp_path / "a.html").write_text("two", encoding="utf-8")
    assert offline.build_digest(tmp_path) != first


@pytest.mark.chromium
def test_after_a_first_visit_every_page_of_the_navigation_reads_offline(site, browser):
    """One visit (the home page, no calculator) keeps the documents, the calculator index
    and the reference pages; a page never kept gets a Chinese page that says so and lists
    what can be read."""
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(site.url)
        wait_until(page, "async (url) => !!(await caches.match(url))", site.url + "kehu/KH-02/")
        wait_until(page, "async (url) => !!(await caches.match(url))", site.url + "reference/glossary/")
        context.set_offline(True)
        for path, heading in {"kehu/KH-02/": "客户分级管理办法", "calculators/": "计算器",
                              "reference/glossary/": "术语", "fuwu/FW-03/": "客服组人员管理规定"}.items():
            page.goto(site.url + path)
            assert heading in page.inner_text("h1"), (path, page.inner_text("h1"))
        # A revision page: not part of the navigation, never visited.
        page.goto(site.url + "xinyong/XY-03-v1.0/")
        assert page.inner_text("h1") == "本页尚未保存到本机"
        body = page.inner_text("body")
        assert "联网后打开一次" in body and "xinyong/XY-03-v1.0/" in body
        links = page.locator("li a").evaluate_all("as => as.map(a => [a.textContent, a.href])")
        assert {site.url + "kehu/KH-02/", site.url + "calculators/"} <= {href for _, href in links}, links
        assert any("客户分级管理办法" in title for title, _ in links), links
        page.click("text=客户分级管理办法")
        assert "客户分级管理办法" in page.inner_text("h1")
    finally:
        context.close()
