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
