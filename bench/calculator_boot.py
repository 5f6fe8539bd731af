"""How fast the handbook's calculators answer, and what they cost pages that have none.

Builds the site, serves it on 127.0.0.1 and drives headless Debian chromium. Every figure
is measured for two variants of the same build, in the same run, alternating per run:

  ours   the site as built: Pyodide in a module Web Worker, booted only on pages that
         contain a calculator, kept alive across Material's instant navigation;
  naive  a copy of the site whose calculator.js is replaced by NAIVE_JS below: Pyodide
         imported and booted on the main thread on every page view, the way embeds in
         other documentation themes do it.

Figures (median over --runs):
  1. first answer, cold / warm cache: ms from navigation start to the result, on
     xinyong/XY-03/. Cold = a fresh browser context; warm = page.goto the same page again
     in that context. The form ("A" case) is filled and submitted as soon as the script has
     bound it, without waiting for the runtime; the answer comes when the runtime is ready.
  2. second page: from XY-03 (already answered), click the sidebar link to calculators/,
     fill and submit there; ms from the click to the answer. Whether the navigation was
     instant (same document) or a full load is reported too.
  3. blocking: main-thread blocking time until the first answer (cold): the sum over long
     tasks of (duration - 50 ms), from a PerformanceObserver("longtask") installed before
     any page script runs.
  4. bytes without calculator: the home page in a fresh context; the sum of response body
     lengths (Response.body(); the server does not compress, so this is the bytes on the
     wire less headers), counted until the network has been quiet for QUIET_S.

The answer time is taken in the page: a MutationObserver (add_init_script) stores
performance.now() in window.__answerAt when an element gets data-outcome.

Run: PYTHONPATH=. .venv/bin/python bench/calculator_boot.py [--runs N]
"""

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import StaticServer, build_site, launch_chromium  # noqa: E402

TIMEOUT_MS = 60_000
QUIET_S = 1.5          # network silence (with a responsive main thread) that ends a page load
FIRST_PAGE = "xinyong/XY-03/"
SECOND_PAGE = "calculators/"
CASE_A = {"cooperation_years": "3", "defaults_2y": "0"}
CASE_A_CHECKED = ("lawful_and_reliable", "good_operation_2y", "strong_solvency", "meets_annual_targets")
EXPECTED_OUTCOME = "A"

# Installed before any page script, in every document (a full load starts a new one;
# instant navigation keeps the old one, and with it these observers).
PROBES_JS = """
window.__answerAt = null;
window.__longTasks = [];
new MutationObserver(function (records) {
  if (window.__answerAt !== null) return;
  for (var i = 0; i < records.length; i++) {
    if (records[i].target.getAttribute("data-outcome")) {
      window.__answerAt = performance.now();
      window.__answer = records[i].target.getAttribute("data-outcome");
      return;
    }
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-outcome"] });
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) { window.__longTasks.push([e.startTime, e.duration]); });
  }).observe({ type: "longtask", buffered: true });
} catch (e) { window.__longTasks = null; }
"""

# The naive embed. It boots Pyodide on EVERY page view, including pages without a
# calculator, and again after each instant navigation (document$ emits per page): that is
# how themes that put a Pyodide <script> on their pages behave. __WHEEL__ is filled in by
# the bench (the home page has no data-wheel to read it from).
NAIVE_JS = """
(function () {
  "use strict";
  var ASSETS = new URL("../", document.currentScript.src);
  var WHEEL = new URL(__WHEEL__, ASSETS).href;

  function boot() {
    return import(new URL("pyodide/pyodide.mjs", ASSETS).href).then(function (mod) {
      return mod.loadPyodide({ indexURL: new URL("pyodide/", ASSETS).href });
    }).then(function (pyodide) {
      return pyodide.loadPackage(WHEEL, { messageCallback: function () {} }).then(function () {
        return pyodide;
      });
    });
  }

  // Same reading as calculator.js: numbers from the text inputs, booleans from
  // checkboxes, arrays from the checked boxes' values.
  function readForm(root) {
    var schema = JSON.parse(root.dataset.schema);
    var form = root.querySelector("form");
    var input = {};
    Object.keys(schema.properties).forEach(function (key) {
      var prop = schema.properties[key];
      var type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
      if (type === "boolean") {
        input[key] = form.elements[key].checked;
      } else if (type === "array") {
        input[key] = Array.prototype.slice.call(form.querySelectorAll('input[name="' + key + '"]:checked'))
          .map(function (el) { return el.value; });
      } else {
        var raw = form.elements[key].value.trim();
        if (raw === "") return;
        var n = Number(raw);
        input[key] = isNaN(n) ? raw : n;
      }
    });
    return input;
  }

  function bind(root, ready) {
    root.dataset.bound = "1";
    ready.then(function () { root.dataset.state = "ready"; });
    root.querySelector("form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var input = readForm(root);
      ready.then(function (pyodide) {
        var json = pyodide.pyimport("calc").run_json(root.dataset.calculator, JSON.stringify(input));
        var result = JSON.parse(json);
        var box = root.querySelector(".calc__result");
        box.textContent = result.grade;
        box.hidden = false;
        box.dataset.outcome = result.grade;
      });
    });
  }

  window.document$.subscribe(function () {
    var ready = boot();
    document.querySelectorAll("[data-calculator]").forEach(function (root) { bind(root, ready); });
  });
})();
"""


# ---------------------------------------------------------------- site set-up


def build_variants(parent: Path, port: int) -> dict[str, str]:
    """Build the site once into parent/handbook, copy it to parent/naive with the naive
    script; return variant -> base URL."""
    ours = parent / "handbook"
    proc = build_site(ours, f"http://127.0.0.1:{port}/handbook/")
    if proc.returncode != 0:
        sys.exit(f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}")
    naive = parent / "naive"
    shutil.copytree(ours, naive)
    (wheel,) = naive.glob("assets/wheels/*/calc-*-py3-none-any.whl")
    wheel_path = wheel.relative_to(naive / "assets").as_posix()
    (naive / "assets/javascripts/calculator.js").write_text(
        NAIVE_JS.replace("__WHEEL__", json.dumps(wheel_path)), encoding="utf-8")
    # Material's instant navigation intercepts only links listed in sitemap.xml, matched
    # by path and port: the copy's sitemap must name the copy's own address.
    sitemap = naive / "sitemap.xml"
    sitemap.write_text(sitemap.read_text(encoding="utf-8").replace("/handbook/", "/naive/"), encoding="utf-8")
    base = f"http://127.0.0.1:{port}"
    return {"ours": f"{base}/handbook/", "naive": f"{base}/naive/"}


# ---------------------------------------------------------------- page actions


def new_page(browser):
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(PROBES_JS)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return context, page


def fill_and_submit(page):
    """Fill the "A" case as soon as the form is bound (a submit before that would be a
    native form submission, i.e. a page reload)."""
    root = page.locator('[data-calculator="credit-grade"][data-bound]:not([data-bench-old])')
    root.wait_for(state="attached")
    for name, value in CASE_A.items():
        root.locator(f'input[name="{name}"]').fill(value)
    for name in CASE_A_CHECKED:
        root.locator(f'input[name="{name}"]').check()
    root.locator("button[type=submit]").click()


def wait_answer(page) -> float:
    """performance.now() at which the result appeared, in the current document."""
    try:
        page.wait_for_function("() => window.__answerAt !== null", timeout=TIMEOUT_MS, polling=50)
    except Exception as e:
        raise RuntimeError(f"no answer at {page.url}: {e}; page errors: {page.errors}") from None
    answer, at = page.evaluate("() => [window.__answer, window.__answerAt]")
    if answer != EXPECTED_OUTCOME:
        raise RuntimeError(f"expected grade {EXPECTED_OUTCOME}, got {answer!r} at {page.url}")
    return at


def blocking_ms(page, until: float) -> float:
    """Sum of (duration - 50 ms) over long tasks that started before `until`."""
    # Observer callbacks are delivered in a later task: let them arrive.
    page.wait_for_timeout(300)
    tasks = page.evaluate("() => window.__longTasks")
    if tasks is None:
        raise RuntimeError("this chromium does not report longtask entries")
    return sum(max(0.0, d - 50) for start, d in tasks if start < until)


def first_answer(page, url: str) -> float:
    page.goto(url, wait_until="commit")
    fill_and_submit(page)
    return wait_answer(page)


def second_page_answer(page) -> tuple[float, bool]:
    """Click the sidebar link to the other calculator page; ms from click to answer, and
    whether the navigation was instant (the document, hence window, survived)."""
    # The click is dispatched in the same task that takes the time, so no protocol round
    # trip is counted. timeOrigin + now() is an absolute time, so the difference holds even
    # if the click turned into a full load (a new document, a new time origin).
    before = page.evaluate("""() => {
        window.__benchMarker = "kept";
        window.__answerAt = null;
        document.querySelector('[data-calculator="credit-grade"]').setAttribute("data-bench-old", "");
        const link = document.querySelector('.md-sidebar--primary a.md-nav__link[href$="%s"]');
        const t = performance.timeOrigin + performance.now();
        link.click();
        return t;
    }""" % SECOND_PAGE)
    fill_and_submit(page)
    at = wait_answer(page)
    origin, instant = page.evaluate("() => [performance.timeOrigin, window.__benchMarker === 'kept']")
    if not urlsplit(page.url).path.endswith(SECOND_PAGE):
        raise RuntimeError(f"expected to be on {SECOND_PAGE}, at {page.url}")
    return origin + at - before, instant


def answer_figures(browser, base: str) -> dict:
    context, page = new_page(browser)
    try:
        url = base + FIRST_PAGE
        cold = first_answer(page, url)
        blocking = blocking_ms(page, cold)
        warm = first_answer(page, url)
        second, instant = second_page_answer(page)
    finally:
        context.close()
    return {"cold": cold, "warm": warm, "second": second, "blocking": blocking, "instant": instant}


def home_page_bytes(browser, base: str) -> int:
    """Body bytes of every response the home page fetched, in a fresh context, once the
    network has been quiet for QUIET_S while the main thread answers (a main thread busy
    booting Pyodide can still start fetches when it frees up)."""
    context, page = new_page(browser)
    responses, state = [], {"inflight": 0, "last": time.monotonic()}

    def started(_):
        state["inflight"] += 1
        state["last"] = time.monotonic()

    def ended(request):
        state["inflight"] -= 1
        state["last"] = time.monotonic()
        if request.failure is None:
            responses.append(request)

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    try:
        page.goto(base, wait_until="load")
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while True:
            page.evaluate("() => 0")  # returns only once the main thread is free
            if state["inflight"] == 0 and time.monotonic() - state["last"] >= QUIET_S:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"home page network never went quiet ({state['inflight']} in flight)")
            page.wait_for_timeout(200)
        return sum(len(r.response().body()) for r in responses if r.response())
    finally:
        context.close()


# ---------------------------------------------------------------- report

FIGURES = [  # key, label in the table, label in the summary, unit
    ("cold", "first answer, cold cache", "first-answer cold", "ms"),
    ("warm", "first answer, warm cache", "warm", "ms"),
    ("second", "second page via in-site link", "second page", "ms"),
    ("blocking", "main-thread blocking until answer", "blocking", "ms"),
    ("bytes", "bytes fetched by home page (no calc)", "bytes-without-calculator", "B"),
]


def ratio(ours: float, naive: float) -> str:
    if ours == 0:
        return "inf" if naive > 0 else "1.0x"
    r = naive / ours
    return f"{r:.1f}x" if r < 10 else f"{r:.0f}x"


def fmt(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}"


def report(results: dict[str, dict[str, list]], runs: int) -> None:
    med = {v: {k: statistics.median(xs) for k, xs in r.items() if k != "instant"} for v, r in results.items()}
    print(f"calculator boot, headless chromium, median of {runs} run(s); ours = worker, naive = main thread")
    print(f"{'figure':<40}{'ours':>16}{'naive':>16}{'naive/ours':>12}")
    for key, label, _, unit in FIGURES:
        o, n = med["ours"][key], med["naive"][key]
        print(f"{label:<40}{fmt(o, unit):>16}{fmt(n, unit):>16}{ratio(o, n):>12}")
    for variant in ("ours", "naive"):
        flags = results[variant]["instant"]
        print(f"second page navigation ({variant}): "
              f"{'instant' if all(flags) else 'FULL LOAD' if not any(flags) else 'mixed'} "
              f"({sum(flags)}/{len(flags)} runs instant)")
    print("bytes = sum of response body lengths (Response.body()), uncompressed server")
    print("summary: " + ", ".join(f"{short} {ratio(med['ours'][k], med['naive'][k])}"
                                  for k, _, short, _ in FIGURES) + " (naive/ours)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="measurements per figure (median is shown)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    results = {v: {k: [] for k in ("cold", "warm", "second", "blocking", "instant", "bytes")}
               for v in ("ours", "naive")}
    with tempfile.TemporaryDirectory() as tmp, StaticServer(Path(tmp)) as server:
        bases = build_variants(Path(tmp), server.port)
        with sync_playwright() as p:
            browser = launch_chromium(p)
            try:
                for run in range(args.runs):
                    for variant, base in bases.items():  # alternate, so drift hits both alike
                        figures = answer_figures(browser, base)
                        figures["bytes"] = home_page_bytes(browser, base)
                        for k, v in figures.items():
                            results[variant][k].append(v)
                        print(f"run {run + 1} {variant}: " + ", ".join(
                            f"{k}={v:.0f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()),
                            flush=True)
            finally:
                browser.close()
    report(results, args.runs)


if __name__ == "__main__":
    main()
