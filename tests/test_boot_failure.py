"""When the runtime cannot start, the calculator says why in Chinese, with a 重试 button,
within 30 s (the .wasm missing, served with the wrong MIME type, truncated, or stalled);
a worker that hangs or dies after boot is detected by the time limit per request, the
waiting requests get an error, and a new worker answers; file:// is explained."""

import random
import re
import time

import pytest

from tests.support import load_cases, runtime_override

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
    (worker,) = [w for w in page.workers if "calc-worker.mjs" in w.url]
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


# A short time limit per request, set in the page's runtime configuration (tests/support.py).
SHORT_REQUESTS = runtime_override(settings={"requestTimeoutMs": 3000})


def test_a_worker_that_hangs_after_boot_is_restarted(site, page):
    page.add_init_script(SHORT_REQUESTS)
    page.goto(site.url + PAGE)
    hang_or_die(page, "setTimeout(() => { for (;;) {} }, 0)")


def test_a_worker_that_dies_after_boot_is_restarted(site, page):
    page.add_init_script(SHORT_REQUESTS)
    page.goto(site.url + PAGE)
    hang_or_die(page, "setTimeout(() => self.close(), 0)")


def test_opened_from_a_file_the_page_says_a_web_server_is_needed(site, page):
    page.goto((site.dir / "xinyong" / "XY-03" / "index.html").as_uri())
    page.wait_for_selector(f'{CALC}[data-state="error"]', timeout=10_000)
    text = page.inner_text(f"{CALC} .calc__error")
    assert "file://" in text and "Web 服务器" in text, text


def flip_two_bytes(route):
    body = bytearray(route.fetch().body())
    for at in (len(body) // 3, 2 * len(body) // 3):
        body[at] ^= 0xFF
    route.fulfill(status=200, content_type="application/octet-stream", body=bytes(body))


def random_bytes(route):
    route.fulfill(status=200, content_type="application/octet-stream", body=random.Random(7).randbytes(5000))


def latin_words(text: str) -> list[str]:
    """English or Python words in a message, file names and HTTP aside."""
    text = re.sub(r"[\w.-]+\.(whl|zip|json|wasm|mjs|pages)\b", "", text)
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ("HTTP",)]


@pytest.mark.parametrize("pattern, breakage, named", [
    ("**/calc-*.whl", flip_two_bytes, ".whl"),
    ("**/calc-*.whl", random_bytes, ".whl"),
    ("**/pyodide-lock.json", random_bytes, "pyodide-lock.json"),
    ("**/python_stdlib*.zip", random_bytes, "python_stdlib"),
    ("**/register.json", random_bytes, "register.json"),
], ids=["wheel-flipped", "wheel-random", "lock-random", "both-stdlibs-random", "register-random"])
def test_a_damaged_runtime_file_is_named_in_chinese_like_a_missing_one(site, page, pattern, breakage, named):
    page.route(pattern, breakage)
    page.goto(site.url + PAGE)
    page.wait_for_selector(f'{CALC}[data-state="error"]', timeout=40_000)
    text = page.inner_text(f"{CALC} .calc__error")
    assert named in text and "内容不对" in text and "加载失败" in text, text
    assert latin_words(text) == [], text
    assert page.get_by_role("button", name="重试").count() == 1


def test_a_damaged_bytecode_standard_library_falls_back_like_a_missing_one(site, page):
    page.route("**/python_stdlib.zip", random_bytes)
    page.goto(site.url + PAGE)
    page.wait_for_selector(f'{CALC}[data-state="ready"]')
    assert page.evaluate("HandbookRuntime.info().mode") == "plain"
    assert page.evaluate("i => HandbookRuntime.call('credit-grade', i)", CASE["input"])["grade"] == "A"


def test_a_stalled_wasm_is_named_and_retry_sits_beside_the_error_under_the_button(site, page):
    page.add_init_script(runtime_override(settings={"bootStallMs": 8000}))
    held = []
    page.route(WASM, lambda route: held.append(route))   # never answered
    page.goto(site.url + PAGE)
    page.wait_for_selector(f"{CALC} form")
    page.fill(f'{CALC} input[name="cooperation_years"]', "2")
    page.click(f"{CALC} button[type=submit]")
    page.wait_for_selector(f'{CALC}[data-state="error"]', timeout=30_000)
    page.wait_for_selector(f'{CALC} button[type="submit"]:not([disabled])')
    error = page.locator(f"{CALC} .calc__error")
    text = error.inner_text()
    assert "pyodide.asm.wasm" in text and "超时" in text, text
    assert "pyodide-lock.json" not in text and "python_stdlib" not in text, text
    # 重试 is in the error box under 计算, not elsewhere.
    assert error.get_by_role("button", name="重试").count() == 1
    page.unroute(WASM)
    error.get_by_role("button", name="重试").click()
    page.wait_for_selector(f'{CALC}[data-state="ready"]')


def test_while_the_engine_downloads_the_calculator_shows_size_and_percent(site, page):
    held = []
    page.route(WASM, lambda route: held.append(route))   # the wasm held back: the rest arrives
    page.goto(site.url + PAGE)
    status = page.locator(f"{CALC} .calc__status")
    page.wait_for_function(f"() => /已下载 \\d+%/.test(document.querySelector('{CALC} .calc__status').textContent)")
    text = status.inner_text()
    m = re.search(r"加载中：已下载 (\d+)%（共约 (\d+) MB）", text)
    assert m and 0 < int(m[1]) < 100 and int(m[2]) >= 10, text
    # Pressing 计算 meanwhile: the same figures beside the button.
    page.click(f"{CALC} button[type=submit]")
    page.wait_for_function(f"() => /已下载 \\d+%/.test(document.querySelector('{CALC} .calc__working').textContent)")
    held[0].continue_()
    page.wait_for_selector(f'{CALC}[data-state="ready"]')
    assert page.inner_text(f"{CALC} .calc__status") == "就绪"


def pyodide_reading_its_wasm_otherwise(route):
    """pyodide.mjs as if a release read the wasm with arrayBuffer() and instantiate()
    instead of instantiateStreaming(): the worker's stand-in no longer matches."""
    text = route.fetch().text()
    changed, n = re.subn(r"WebAssembly\.instantiateStreaming\((\w+),(\w+)\)",
                         r"WebAssembly.instantiate(await (await \1).arrayBuffer(),\2)", text)
    assert n == 1, "pyodide.mjs no longer calls instantiateStreaming: update this test"
    route.fulfill(status=200, content_type="text/javascript", body=changed)


def test_if_pyodide_loads_its_wasm_otherwise_the_worker_boots_without_the_stand_in(site, page):
    page.route("**/pyodide.mjs", pyodide_reading_its_wasm_otherwise)
    page.goto(site.url + PAGE)
    page.wait_for_selector(f'{CALC}[data-state="ready"]', timeout=60_000)
    info = page.evaluate("HandbookRuntime.info()")
    assert info["standIn"] is False
    assert page.evaluate("i => HandbookRuntime.call('credit-grade', i)", CASE["input"])["grade"] == "A"
    # Remembered for this Pyodide: the next visit goes straight to the plain way.
    assert page.evaluate("localStorage.getItem('handbook-wasm-stand-in-failed')")
