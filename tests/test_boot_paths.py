"""Every way the calculators' runtime boots, in Chromium on the built site: the bytecode
standard library on a first visit, the memory snapshot (fetched in the background by the
first visit) on later ones, the fallback from a snapshot that cannot be restored, and the
plain boot on Pyodide's source standard library when the bytecode one cannot be had.
Each path must answer a case from the shared case file."""

import gzip
import json
import re
import zipfile

import pytest

from tests.support import load_cases

PAGE = "xinyong/XY-03/"
CALC = '[data-calculator="credit-grade"]'
CASE = load_cases("credit-grade")["cases"][0]  # all A-grade conditions met


@pytest.fixture
def page(page_without_service_worker):
    return page_without_service_worker


def config(site) -> dict:
    text = (site.dir / "assets/javascripts/calc-runtime.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"var CONFIG = (\{.*?\});", text).group(1))


def boot(page, url):
    page.goto(url)
    page.wait_for_selector(f'{CALC}[data-state="ready"]')
    return page.evaluate("HandbookRuntime.info()")


def grade(page) -> str:
    result = page.evaluate("i => HandbookRuntime.call('credit-grade', i)", CASE["input"])
    return result["grade"]


def test_the_built_runtime_is_bytecode_made_by_pyodides_own_python(site):
    cfg = config(site)
    runtime = site.dir / "assets" / cfg["runtime"]
    with zipfile.ZipFile(runtime / "python_stdlib.zip") as z:
        names = z.namelist()
        assert not [n for n in names if n.endswith(".py")]
        # Python 3.14's magic number (what Pyodide 314.0.7 runs), unchecked hash-based.
        head = z.read("os.pyc")[:8]
        assert head[:4] == bytes.fromhex("2b0e0d0a") and head[4:8] == b"\x01\x00\x00\x00"
    with zipfile.ZipFile(site.wheel()) as z:
        names = set(z.namelist())
        assert "calc/credit_grade.py" in names and "calc/__pycache__/credit_grade.cpython-314.pyc" in names
    raw = gzip.decompress((site.dir / "assets" / cfg["snapshot"]).read_bytes()[:])
    words = [int.from_bytes(raw[16 + 4 * i:20 + 4 * i], "little") for i in range(8)]
    assert "".join(f"{w:08x}" for w in words) == cfg["buildId"]
    assert cfg["buildId"] in (runtime / "pyodide.mjs").read_text(encoding="utf-8")


def test_first_visit_boots_on_bytecode_then_later_visits_restore_the_snapshot(site, browser):
    context = browser.new_context(locale="zh-CN")
    try:
        first = context.new_page()
        info = boot(first, site.url + PAGE)
        assert info["mode"] == "bytecode"
        assert grade(first) == CASE["expect"]["grade"]
        # The snapshot arrives in the background, after the page could already answer.
        first.wait_for_function("() => HandbookRuntime.info().snapshotCached", timeout=60_000)
        second = context.new_page()
        info = boot(second, site.url + PAGE)
        assert info["mode"] == "snapshot"
        assert grade(second) == CASE["expect"]["grade"]
        # Files are back after a restore (the snapshot holds memory, not the file system).
        refusal = second.evaluate("HandbookRuntime.call('credit-grade', {})")
        assert "error" in refusal and "Traceback" not in refusal["error"]
    finally:
        context.close()


def test_a_snapshot_that_cannot_be_restored_falls_back_to_the_bytecode_boot(site, page):
    # A snapshot of another build (wrong magic, wrong build id). Routed responses skip the
    # cache, so even the worker's "only if cached" request receives it and restores it.
    asked = []
    def other_build(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="application/gzip", body=gzip.compress(b"\0" * 4096))
    page.route("**/calc.snapshot.gz", other_build)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    info = boot(page, site.url + PAGE)
    assert asked and info["mode"] == "bytecode"
    assert grade(page) == CASE["expect"]["grade"]
    assert page.get_attribute(f"{CALC} .calc__error", "hidden") is not None
    assert errors == []
    # Remembered for this build: the next visit does not try it again.
    assert page.evaluate("localStorage.getItem('handbook-snapshot-failed')") == config(site)["buildId"]


def test_without_the_bytecode_standard_library_the_plain_boot_answers(site, page):
    page.route("**/python_stdlib.zip", lambda route: route.fulfill(status=404, body="missing"))
    info = boot(page, site.url + PAGE)
    assert info["mode"] == "plain"
    assert grade(page) == CASE["expect"]["grade"]


def test_each_snapshot_restore_gets_its_own_random_state(site, browser):
    """Every restore starts from the same memory: random must be re-seeded after it."""
    context = browser.new_context(locale="zh-CN")
    try:
        first = context.new_page()
        boot(first, site.url + PAGE)
        first.wait_for_function("() => HandbookRuntime.info().snapshotCached", timeout=60_000)
        draws = []
        for _ in range(2):
            pg = context.new_page()
            assert boot(pg, site.url + PAGE)["mode"] == "snapshot"
            (worker,) = [w for w in pg.workers if w.url.endswith("calc-worker.mjs")]
            draws.append(worker.evaluate("self.handbookPython.runPython('import random; random.random()')"))
        assert len(set(draws)) == 2
    finally:
        context.close()
