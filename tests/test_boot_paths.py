"""Every way the calculators' runtime boots, in Chromium on the built site: a first visit
on a fast link restores the memory snapshot straight from the network; on a slow one it
boots on the bytecode standard library and fetches the snapshot in the background for
later visits, which restore it from the cache; a snapshot that cannot be restored falls
back to the bytecode boot; the plain boot on Pyodide's source standard library runs when
the bytecode one cannot be had. Each path must answer a case from the shared case file."""

import json
import re
import zipfile
from contextlib import contextmanager

import pytest

from handbook import snapshot_pages
from tests.support import load_cases, wait_until

PAGE = "xinyong/XY-03/"
CALC = '[data-calculator="credit-grade"]'
CASE = load_cases("credit-grade")["cases"][0]  # all A-grade conditions met


@pytest.fixture
def page(page_without_service_worker):
    return page_without_service_worker


def config(site) -> dict:
    text = (site.dir / "assets/javascripts/calc-runtime.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"var CONFIG = (\{.*?\});", text).group(1))


# window.HandbookRuntimeSettings, read by calc-runtime.js as it starts: how long a first
# visit may wait for the snapshot (1 ms: never; a minute: always, on this local server).
SLOW_LINK = "window.HandbookRuntimeSettings = { firstVisitSnapshotMs: 1 };"
FAST_LINK = "window.HandbookRuntimeSettings = { firstVisitSnapshotMs: 60000 };"


@contextmanager
def visits(browser, link: str):
    """One browser profile (service workers allowed) on a `link` for its first visit."""
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(link)
    try:
        yield context
    finally:
        context.close()


def boot(page, url):
    page.goto(url)
    page.wait_for_selector(f'{CALC}[data-state="ready"]')
    return page.evaluate("HandbookRuntime.info()")


def grade(page) -> str:
    result = page.evaluate("i => HandbookRuntime.call('credit-grade', i)", CASE["input"])
    return result["grade"]


@pytest.mark.build
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
    packed = (site.dir / "assets" / cfg["snapshot"]).read_bytes()
    assert len(packed) == cfg["snapshotBytes"] < cfg["memoryBytes"] / 2   # zero pages left out
    raw = snapshot_pages.unpack(packed)
    assert len(raw) == cfg["memoryBytes"]
    words = [int.from_bytes(raw[16 + 4 * i:20 + 4 * i], "little") for i in range(8)]
    assert "".join(f"{w:08x}" for w in words) == cfg["buildId"]
    assert cfg["buildId"] in (runtime / "pyodide.mjs").read_text(encoding="utf-8")


@pytest.mark.chromium
def test_a_first_visit_on_a_fast_link_restores_the_snapshot_from_the_network(site, browser):
    with visits(browser, FAST_LINK) as context:
        page = context.new_page()
        info = boot(page, site.url + PAGE)
        assert (info["mode"], info["snapshotFrom"]) == ("snapshot", "network")
        assert info["snapshotDecision"]["taken"] is True
        assert grade(page) == CASE["expect"]["grade"]
        refusal = page.evaluate("HandbookRuntime.call('credit-grade', {})")
        assert "error" in refusal and "Traceback" not in refusal["error"]
        # The service worker keeps it (this context's HTTP cache, in memory, is too small
        # for 13 MB; a real profile's disk cache holds it too): the next visit reads it there.
        snapshot_url = site.url + "assets/" + config(site)["snapshot"]
        wait_until(page, "async (url) => !!(await caches.match(url))", snapshot_url)
        again = context.new_page()
        info = boot(again, site.url + PAGE)
        assert (info["mode"], info["snapshotFrom"]) == ("snapshot", "cache")
        assert grade(again) == CASE["expect"]["grade"]


@pytest.mark.chromium
def test_a_first_visit_on_a_slow_link_boots_on_bytecode_then_later_visits_restore_the_snapshot(site, browser):
    with visits(browser, SLOW_LINK) as context:
        first = context.new_page()
        info = boot(first, site.url + PAGE)
        assert info["mode"] == "bytecode"
        assert info["snapshotDecision"]["taken"] is False
        assert grade(first) == CASE["expect"]["grade"]
        # The snapshot arrives in the background, after the page could already answer.
        first.wait_for_function("() => HandbookRuntime.info().snapshotCached", timeout=60_000)
        second = context.new_page()
        info = boot(second, site.url + PAGE)
        assert (info["mode"], info["snapshotFrom"]) == ("snapshot", "cache")
        assert grade(second) == CASE["expect"]["grade"]
        # Files are back after a restore (the snapshot holds memory, not the file system).
        refusal = second.evaluate("HandbookRuntime.call('credit-grade', {})")
        assert "error" in refusal and "Traceback" not in refusal["error"]


def other_build_snapshot(site) -> bytes:
    """A well-formed page-packed file whose memory is not this build's (wrong magic and
    build id): it unpacks, and Pyodide's restore refuses it."""
    return snapshot_pages.pack(b"\1" * config(site)["memoryBytes"])


@pytest.mark.chromium
@pytest.mark.parametrize("body", ["other build", "not page-packed"])
def test_a_snapshot_that_cannot_be_restored_falls_back_to_the_bytecode_boot(site, page, body):
    # Routed responses skip the cache, so even the worker's "only if cached" request
    # receives it; on a fast link the first visit takes it from the network as well.
    page.add_init_script(FAST_LINK)
    data = other_build_snapshot(site) if body == "other build" else b"\0" * 4096
    asked = []
    def routed(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="application/octet-stream", body=data)
    page.route("**/calc.snapshot.pages", routed)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    info = boot(page, site.url + PAGE)
    assert asked and info["mode"] == "bytecode"
    assert grade(page) == CASE["expect"]["grade"]
    assert page.get_attribute(f"{CALC} .calc__error", "hidden") is not None
    assert errors == []
    # Remembered for this build: the next visit does not try it again.
    assert page.evaluate("localStorage.getItem('handbook-snapshot-failed')") == config(site)["buildId"]


@pytest.mark.chromium
def test_without_the_bytecode_standard_library_the_plain_boot_answers(site, page):
    page.route("**/python_stdlib.zip", lambda route: route.fulfill(status=404, body="missing"))
    info = boot(page, site.url + PAGE)
    assert info["mode"] == "plain"
    assert grade(page) == CASE["expect"]["grade"]


@pytest.mark.chromium
def test_each_snapshot_restore_gets_its_own_random_state(site, browser):
    """Every restore starts from the same memory: random must be re-seeded after it."""
    with visits(browser, SLOW_LINK) as context:
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
