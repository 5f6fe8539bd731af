"""When the runtime cannot start, the calculator says why in Chinese, with a 重试 button,
within 30 s (the .wasm missing, served with the wrong MIME type, truncated, or stalled);
a worker that hangs or dies after boot is detected by the time limit per request, the
waiting requests get an error, and a new worker answers; file:// is explained."""

import time

import pytest

from tests.support import load_cases

pytestmark = pytest.mark.chromium


@pytest.fixture
def page(page_without_service_worker):
    return page_without_service_worker


PAGE = "xinyong/XY-03/"
CALC = '[data-calculator="credit-grade"]'
CASE = load_cases("credit-grade")["cases"][0]
WASM = "**/pyodide.asm.wasm"


def not_found(route):
    route.fulfill(status=404, content_type="text/html", body="<h1>404</h1>")


def wrong_type(route):
    route.fulfill(response=route.fetch(), headers={"content-type": "application/octet-stream"})


def truncated(route):
    body = route.fetch().body()
    route.fulfill(status=200, content_type="application/wasm", body=body[: len(body) // 3])


def stalled(route):
    pass  # never answered: the download hangs


@pytest.mark.parametrize("breakage, cause", [
    (not_found, "404"), (wrong_type, "application/wasm"), (truncated, "不完整"), (stalled, "超时")],
    ids=["missing", "wrong-mime", "truncated", "stalled"])
def test_a_broken_wasm_gives_a_chinese_cause_and_retry_within_30_s(site, page, breakage, cause):
    page.route(WASM, breakage)
    started = time.monotonic()
    page.goto(site.url + PAGE, wait_until="commit")
    page.wait_for_selector(f'{CALC}[data-state="error"]', timeout=30_000)
    assert time.monotonic() - started < 30
    error = page.locator(f"{CALC} .calc__error")
    text = error.inner_text()
    assert "pyodide.asm.wasm" in text or "超时" in text, text
    assert cause in text and "加载失败" in text, text
    assert "Error" not in text.replace("CompileError", ""), text  # no English error class as the message
    assert page.inner_text(f"{CALC} .calc__status") == "出错"
    # Repaired (the server fixed), 重试 boots without reloading the page.
    page.unroute(WASM)
    page.evaluate("window.__samePage = true")
    error.get_by_role("button", name="重试").click()
    page.wait_for_selector(f'{CALC}[data-state="ready"]')
    assert page.evaluate("window.__samePage") is True
    assert page.evaluate("i => HandbookRuntime.call('credit-grade', i)", CASE["input"])["grade"] == "A"


def test_a_missing_wheel_is_named_not_shown_as_a_traceback(site, page):
    page.route("**/calc-*.whl", not_found)
    page.goto(site.url + PAGE)
    page.wait_for_selector(f'{CALC}[data-state="error"]', timeout=30_000)
    text = page.inner_text(f"{CALC} .calc__error")
    assert ".whl" in text and "404" in text and "Traceback" not in text, text


def hang_or_die(page, script):
    page.wait_for_selector(f'{CALC}[data-state="ready"]')
    page.evaluate("HandbookRuntime.configure({ requestTimeoutMs: 3000 })")
    (worker,) = [w for w in page.workers if w.url.endswith("calc-worker.mjs")]
    worker.evaluate(script)
    # Two requests wait on the broken worker: both are answered, with an error.
    outcomes = page.evaluate("""i => Promise.allSettled([HandbookRuntime.call('credit-grade', i),
                                                          HandbookRuntime.call('credit-grade', i)])
                                   .then(rs => rs.map(r => r.status === 'rejected' ? r.reason.message : 'answered'))""",
                             CASE["input"])
    assert len(outcomes) == 2 and all("重新启动" in o for o in outcomes), outcomes
    # A new worker has started; it answers.
    page.wait_for_function("() => HandbookRuntime.state() === 'ready'")
    assert page.evaluate("i => HandbookRuntime.call('credit-grade', i)", CASE["input"])["grade"] == "A"


def test_a_worker_that_hangs_after_boot_is_restarted(site, page):
    page.goto(site.url + PAGE)
    hang_or_die(page, "setTimeout(() => { for (;;) {} }, 0)")


def test_a_worker_that_dies_after_boot_is_restarted(site, page):
    page.goto(site.url + PAGE)
    hang_or_die(page, "setTimeout(() => self.close(), 0)")


def test_opened_from_a_file_the_page_says_a_web_server_is_needed(site, page):
    page.goto((site.dir / "xinyong" / "XY-03" / "index.html").as_uri())
    page.wait_for_selector(f'{CALC}[data-state="error"]', timeout=10_000)
    text = page.inner_text(f"{CALC} .calc__error")
    assert "file://" in text and "Web 服务器" in text, text
