"""Content-Security-Policy on every page, and a crawl of every page with any request to
another host blocked and recorded: none is made, no CSP violation is reported, and the
calculators (and the comparison picker) still start and answer under the policy."""

import re
from urllib.parse import urlparse

import pytest

from handbook import csp
from tests.support import load_cases

CASE = load_cases("credit-grade")["cases"][0]
VIOLATIONS_JS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def site_pages(site) -> list[str]:
    return sorted(site.url + p.relative_to(site.dir).as_posix().removesuffix("index.html")
                  for p in site.dir.rglob("*.html") if p.name != "404.html")


@pytest.mark.build
def test_every_page_carries_the_policy_without_unsafe_inline_scripts(site):
    header = (site.dir / csp.HEADER_FILE).read_text(encoding="utf-8")
    policy = re.search(r'Content-Security-Policy "([^"]+)"', header).group(1)
    # The header is the pages' <meta> policy plus frame-ancestors, which a <meta> cannot carry.
    assert policy.endswith("; " + csp.HEADER_ONLY)
    policy = policy.removesuffix("; " + csp.HEADER_ONLY)
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src "))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'wasm-unsafe-eval'" in script_src and "http" not in policy
    for path in site.dir.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in html, path
        # Every inline script the page has is allowed by its hash.
        assert csp.inline_hashes(html) <= set(script_src.split()), path
    # And those are the theme's own, a handful whatever the number of pages.
    assert 1 <= len(re.findall("'sha256-", script_src)) <= 8


@pytest.mark.chromium
def test_crawl_every_page_no_other_host_no_violation(site, browser):
    # Request interception together with a service worker crashes Chromium's renderer
    # (a DevTools matter, not the site's): the service worker's own requests are checked
    # in tests/test_offline_calculators.py, where nothing is intercepted.
    context = browser.new_context(locale="zh-CN", service_workers="block")
    context.add_init_script(VIOLATIONS_JS)
    foreign, console = [], []

    def guard(route):
        if urlparse(route.request.url).hostname != "127.0.0.1":
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
        pages = site_pages(site)
        assert len(pages) > 20
        for url in pages:
            page.goto(url, wait_until="load")
            if page.locator("[data-calculator], [data-revision-picker]").count():
                page.wait_for_selector('[data-calculator][data-state="ready"], [data-revision-picker][data-state="ready"]')
            assert page.evaluate("window.__violations") == [], url
        page.goto(site.url + "xinyong/XY-03/")
        page.wait_for_selector('[data-calculator="credit-grade"][data-state="ready"]')
        assert page.evaluate("i => HandbookRuntime.call('credit-grade', i)", CASE["input"])["grade"] == "A"
        assert page.evaluate("window.__violations") == []
        assert foreign == [] and console == []
    finally:
        context.close()
