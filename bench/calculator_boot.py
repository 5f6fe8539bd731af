"""How fast the handbook's calculators are ready, against a naive embed, in one run; each
figure printed beside its goal (issue 13) with met / NOT MET.

Builds the site once, serves it on 127.0.0.1 the way deploy/nginx.conf does (gzip_static:
the precompressed .gz copies when the browser accepts gzip; hashed folders immutable,
everything else revalidated), and drives headless Debian chromium in real profiles
(launch_persistent_context: a profile keeps the compiled-code and HTTP caches, which an
incognito context does not). Two variants of the same build, alternating per run:

  ours   the site as built: Pyodide in a module Web Worker, booted only on calculator
         pages, kept across instant navigation: the page-packed memory snapshot restored
         from the cache on later visits, and from the network on a first visit when it
         arrives within 0.7 s (else the bytecode standard library, the snapshot then
         fetched in the background); the wasm compiled while the rest arrives;
  naive  a copy whose calculator.js is NAIVE_JS below (and whose calc-runtime.js and
         service worker are removed): Pyodide's plain boot (its own source standard
         library) on the main thread of every page view, the same wheel.

Figures (median over --runs), "ready" = ms from navigation start until the calculator
root on xinyong/XY-03/ has data-state="ready" (then one case is computed and checked):
  cold       a fresh profile;
  repeat     a new tab in the same profile, after the first tab went idle (ours: after the
             background snapshot download finished) and was closed;
  slow cold  a fresh profile with 20 Mbit/s and 40 ms per request, emulated by the server
             for every request (see Link: CDP's emulation misses the worker's requests);
  second     from a click on the sidebar link to calculators/ until that page's calculator
             is ready (instant navigation keeps the worker);
  longest    the longest main-thread run of the calculators' own scripts (Pyodide's for
             the naive embed) in a long animation frame (PerformanceObserver
             "long-animation-frame", which names scripts), cold visit and second page; the
             longest task of any origin is printed for reference;
  bytes      Pyodide bytes (assets/pyodide/, assets/wheels/, calc-worker) fetched by the
             home page, which has no calculator, in a fresh profile.

Run: PYTHONPATH=. .venv/bin/python bench/calculator_boot.py [--runs N]
"""

import argparse
import functools
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import CHROMIUM, CHROMIUM_ARGS, _Handler, build_site, load_cases, runtime_config  # noqa: E402

TIMEOUT_MS = 90_000
FIRST_PAGE = "xinyong/XY-03/"
SECOND_PAGE = "calculators/"
CASE = load_cases("credit-grade")["cases"][0]
SLOW = {"offline": False, "latency": 40, "downloadThroughput": 20e6 / 8, "uploadThroughput": 20e6 / 8}
PYODIDE_PARTS = ("/assets/pyodide/", "/assets/wheels/", "calc-worker")

# Before any page script, in every document: when the calculator became ready, long tasks.
PROBES_JS = """
window.__readyAt = null;
window.__longTasks = [];
new MutationObserver(function () {
  var root = document.querySelector('[data-calculator="credit-grade"], [data-calculator]');
  if (!root) return;
  if (window.__readyAt === null && root.getAttribute("data-state") === "ready" && !root.hasAttribute("data-bench-old")) {
    window.__readyAt = performance.now();
  }
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
window.__calcScripts = [];
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) { window.__longTasks.push([e.startTime, e.duration]); });
  }).observe({ type: "longtask", buffered: true });
  // Long animation frames name the scripts that ran in them: the calculators' share.
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (frame) {
      (frame.scripts || []).forEach(function (s) {
        if (/calculator[a-z-]*\.js|calc-runtime\.js|revisions\.js|pyodide/.test(s.sourceURL || "")) {
          window.__calcScripts.push([s.startTime, s.duration, s.sourceURL.split("/").pop()]);
        }
      });
    });
  }).observe({ type: "long-animation-frame", buffered: true });
} catch (e) { window.__longTasks = null; }
"""

# The naive embed: Pyodide's plain boot on the main thread on EVERY page view (and again
# after each instant navigation), as themes that put a Pyodide <script> on pages do.
NAIVE_JS = """
(function () {
  "use strict";
  var ASSETS = new URL("../", document.currentScript.src);
  var RUNTIME = new URL(__RUNTIME__, ASSETS).href;
  var WHEEL = new URL(__WHEEL__, ASSETS).href;
  var REGISTER = new URL(__REGISTER__, ASSETS).href;   // served beside the wheel, not in it
  function boot() {
    return import(RUNTIME + "pyodide.mjs").then(function (mod) {
      return mod.loadPyodide({ indexURL: RUNTIME, stdLibURL: RUNTIME + "python_stdlib_source.zip",
                               packageBaseUrl: RUNTIME });
    }).then(function (pyodide) {
      return Promise.all([pyodide.loadPackage(WHEEL, { messageCallback: function () {} }),
                          fetch(REGISTER).then(function (r) { return r.arrayBuffer(); })]).then(function (got) {
        var site = pyodide.runPython("import site; site.getsitepackages()[0]");
        pyodide.FS.writeFile(site + "/calc/register.json", new Uint8Array(got[1]));
        pyodide.pyimport("calc.registry");
        return pyodide;
      });
    });
  }
  window.document$.subscribe(function () {
    var ready = boot();
    window.__naiveCall = function (name, input) {
      return ready.then(function (pyodide) {
        return JSON.parse(pyodide.pyimport("calc.registry").run_json(name, JSON.stringify(input)));
      });
    };
    document.querySelectorAll("[data-calculator]").forEach(function (root) {
      ready.then(function () { root.dataset.state = "ready"; });
    });
  });
})();
"""

CALL = {"ours": "i => HandbookRuntime.call('credit-grade', i)", "naive": "i => window.__naiveCall('credit-grade', i)"}


# ---------------------------------------------------------------- serving


class DeployLikeHandler(_Handler):
    """What deploy/nginx.conf does: .gz beside a file served when gzip is accepted;
    content-hashed folders cached for a year, the rest revalidated (Last-Modified)."""

    def send_head(self):
        if LINK.slow:
            time.sleep(SLOW["latency"] / 1000)
        self._gzip = None
        path = self.translate_path(self.path)
        if "gzip" in self.headers.get("Accept-Encoding", "") and os.path.isfile(path + ".gz"):
            self._gzip = path + ".gz"
        return super().send_head()

    def send_header(self, keyword, value):
        if keyword == "Content-Length" and getattr(self, "_gzip", None):
            value = str(os.path.getsize(self._gzip))
        super().send_header(keyword, value)

    def end_headers(self):
        if getattr(self, "_gzip", None):
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        hashed = any(part in self.path for part in ("/assets/pyodide/", "/assets/wheels/")) or ".min." in self.path
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if hashed else "no-cache")
        super().end_headers()

    def copyfile(self, source, outputfile):
        if getattr(self, "_gzip", None):
            with open(self._gzip, "rb") as f:
                self._send(f, outputfile)
        else:
            self._send(source, outputfile)

    def _send(self, source, outputfile):
        if not LINK.slow:
            shutil.copyfileobj(source, outputfile)
            return
        try:
            while chunk := source.read(16384):
                LINK.wait(len(chunk))
                outputfile.write(chunk)
        except ConnectionError:
            pass  # a profile closed while its background download ran


class Link:
    """The slow link, at the server: 40 ms before each response and 20 Mbit/s shared by all
    connections. (CDP Network.emulateNetworkConditions on the page does not reach the
    requests of its dedicated worker in this Chromium: with it alone the worker's 8.5 MB
    arrived in 2.3 s, under the 3.4 s that 20 Mbit/s allows.)"""

    def __init__(self):
        self.slow = False
        self.lock = threading.Lock()
        self.free_at = 0.0

    def wait(self, nbytes: int) -> None:
        with self.lock:
            start = max(time.monotonic(), self.free_at)
            self.free_at = start + nbytes / SLOW["downloadThroughput"]  # bytes per second
        time.sleep(max(0.0, self.free_at - time.monotonic()))


LINK = Link()


class Server:
    def __init__(self, root: Path):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(DeployLikeHandler, directory=str(root)))
        self.port = self.httpd.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def build_variants(parent: Path, port: int) -> dict[str, str]:
    ours = parent / "handbook"
    proc = build_site(ours, f"http://127.0.0.1:{port}/handbook/")
    if proc.returncode != 0:
        sys.exit(f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}")
    naive = parent / "naive"
    shutil.copytree(ours, naive)
    js = naive / "assets/javascripts"
    config = runtime_config(naive)
    (wheel,) = naive.glob("assets/wheels/*/calc-*-py3-none-any.whl")
    (js / "calculator.js").write_text(NAIVE_JS.replace("__RUNTIME__", json.dumps(config["runtime"])).replace(
        "__WHEEL__", json.dumps(wheel.relative_to(naive / "assets").as_posix())).replace(
        "__REGISTER__", json.dumps(config["register"])), encoding="utf-8")
    (js / "calc-runtime.js").write_text("window.HandbookRuntime = null;\n", encoding="utf-8")
    for extra in ("sw.js", "assets/javascripts/calculator.js.gz", "assets/javascripts/calc-runtime.js.gz",
                  "assets/javascripts/calculator.js.br", "assets/javascripts/calc-runtime.js.br"):
        (naive / extra).unlink(missing_ok=True)
    # Instant navigation intercepts only links listed in sitemap.xml, by path and port.
    sitemap = naive / "sitemap.xml"
    sitemap.write_text(sitemap.read_text(encoding="utf-8").replace("/handbook/", "/naive/"), encoding="utf-8")
    (naive / "sitemap.xml.gz").unlink(missing_ok=True)
    return {"ours": f"http://127.0.0.1:{port}/handbook/", "naive": f"http://127.0.0.1:{port}/naive/"}


# ---------------------------------------------------------------- measuring


def profile(p):
    """A fresh real profile (persistent context)."""
    folder = tempfile.mkdtemp(prefix="bench-profile-")
    context = p.chromium.launch_persistent_context(folder, executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                   headless=True, locale="zh-CN")
    context.add_init_script(PROBES_JS)
    context.folder = folder
    return context


def close(context):
    context.close()
    shutil.rmtree(context.folder, ignore_errors=True)


def ready_ms(page, url, variant) -> float:
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__readyAt !== null", timeout=TIMEOUT_MS, polling=20)
    at = page.evaluate("() => window.__readyAt")
    grade = page.evaluate(CALL[variant], CASE["input"])["grade"]
    if grade != CASE["expect"]["grade"]:
        raise RuntimeError(f"{variant}: expected grade {CASE['expect']['grade']}, got {grade}")
    return at


def timeline(page, variant) -> str:
    """Where the time went: when the runtime script ran, the worker was created, started,
    began to boot, had pyodide.mjs, Python, and was ready (calc-runtime.js and the worker's
    own stamps), and for the second page the calculators' form binding (calc:init)."""
    if variant != "ours":
        return ""
    info = page.evaluate("() => HandbookRuntime.info()")
    FLOORS["visits"].append(info)
    line = ", ".join(f"{k} {v:.0f}" for k, v in sorted((info.get("timings") or {}).items(), key=lambda kv: kv[1]))
    line += f"; booted by {info['mode']}" + (f" from the {info['snapshotFrom']}" if info.get("snapshotFrom") else "")
    if info.get("snapshotDecision"):
        d = info["snapshotDecision"]
        line += f"; first-visit snapshot {'taken' if d['taken'] else 'stopped'} after {d['ms']} ms (budget {d['budgetMs']})"
    return line


def longest_task(page) -> tuple[float, float]:
    """The longest main-thread script run of the calculators' own code (calculator*.js,
    calc-runtime.js, revisions.js, Pyodide's), and for reference the longest task of any
    origin (the theme's included), from the start of the page."""
    page.wait_for_timeout(300)  # observer callbacks arrive in a later task
    tasks, scripts = page.evaluate("() => [window.__longTasks, window.__calcScripts]")
    if tasks is None:
        raise RuntimeError("this chromium does not report longtask entries")
    return max([d for _, d, _ in scripts] or [0.0]), max([d for _, d in tasks] or [0.0])


def second_page_ms(page, variant) -> tuple[float, bool]:
    start = page.evaluate("""(second) => {
        window.__benchKept = true;
        window.__readyAt = null;
        document.querySelectorAll('[data-calculator]').forEach(r => r.setAttribute('data-bench-old', ''));
        const link = document.querySelector('.md-sidebar--primary a.md-nav__link[href$="' + second + '"]');
        const t = performance.timeOrigin + performance.now();
        link.click();
        return t;
    }""", SECOND_PAGE)
    page.wait_for_function("() => window.__readyAt !== null && !document.querySelector('[data-calculator][data-bench-old]')",
                           timeout=TIMEOUT_MS, polling=10)
    origin, at, instant = page.evaluate("() => [performance.timeOrigin, window.__readyAt, window.__benchKept === true]")
    if variant == "ours":  # the page's fetch and the theme's swap vs our own part (binding the forms)
        fetched, init = page.evaluate("""(second) => [
            performance.getEntriesByType('resource').filter(e => e.name.endsWith(second)).map(e => e.responseEnd).pop(),
            performance.getEntriesByName('calc:init').map(m => m.duration).pop()]""", SECOND_PAGE)
        if fetched is not None and init is not None:
            FLOORS["second"].append({"fetched": origin + fetched - start, "ready": origin + at - start, "forms": init})
            print(f"  second page: click to page fetched {origin + fetched - start:.0f} ms, "
                  f"to ready {origin + at - start:.0f} ms, of which binding the forms {init:.1f} ms", flush=True)
    return origin + at - start, instant


def visit_figures(p, base: str, variant: str) -> dict:
    context = profile(p)
    try:
        page = context.new_page()
        cold = ready_ms(page, base + FIRST_PAGE, variant)
        steps = {"cold": timeline(page, variant)}
        second, instant = second_page_ms(page, variant)
        longest, longest_any = longest_task(page)
        if variant == "ours":  # the snapshot is fetched in the background after the first boot
            page.wait_for_function("() => HandbookRuntime.info().snapshotCached", timeout=TIMEOUT_MS)
        page.wait_for_timeout(3000)
        page.close()
        page = context.new_page()
        repeat = ready_ms(page, base + FIRST_PAGE, variant)
        steps["repeat"] = timeline(page, variant)
        mode = page.evaluate("() => window.HandbookRuntime ? HandbookRuntime.info().mode : 'main thread'")
    finally:
        close(context)
    for visit, line in steps.items():
        if line:
            print(f"  {variant} {visit} timeline (ms from navigation start): {line}", flush=True)
    return {"cold": cold, "repeat": repeat, "second": second, "longest": longest, "longest_any": longest_any,
            "instant": instant, "repeat_mode": mode}


def slow_cold(p, base: str, variant: str) -> float:
    context = profile(p)
    LINK.slow = True
    try:
        page = context.new_page()
        return ready_ms(page, base + FIRST_PAGE, variant)
    finally:
        LINK.slow = False
        close(context)


def home_pyodide_bytes(p, base: str) -> int:
    context = profile(p)
    sizes = []
    try:
        page = context.new_page()
        page.on("requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"])
                if any(part in r.url for part in PYODIDE_PARTS) else None)
        page.goto(base, wait_until="load")
        page.wait_for_timeout(4000)
        return sum(sizes)
    finally:
        close(context)


# ---------------------------------------------------------------- report

# Our own runs' boot timelines and second-page splits, for the floors below the table.
FLOORS = {"visits": [], "second": []}

# Steps of a boot, from HandbookRuntime.info().timings (ms since navigation start).
STEPS = [
    ("navigation to the runtime script", lambda t: t["runtimeScript"]),
    ("worker created to running", lambda t: t["workerStart"] - t["workerCreated"]),
    ("boot start to wasm compiled (in parallel)", lambda t: t["wasmCompiled"] - t["bootStart"]),
    ("boot start to snapshot in memory (in parallel)", lambda t: t["snapshotUnpacked"] - t["bootStart"]),
    ("boot start to wasm instance (both, and Pyodide's script)", lambda t: t["wasm"] - t["bootStart"]),
    ("restore: wasm instance to Python ready", lambda t: t["python"] - t["instantiate"]),
    ("wheel files, imports, ready", lambda t: t["ready"] - t["python"]),
]


def floors() -> None:
    """Where our time goes (median over the runs), for the goals not met: what is left is
    the browser's and Pyodide's own work, and the theme's page swap."""
    def median_of(rows, fn):
        values = []
        for t in rows:
            try:
                values.append(fn(t))
            except (KeyError, TypeError):
                pass
        return statistics.median(values) if values else None
    repeat = [v["timings"] for v in FLOORS["visits"] if v.get("snapshotFrom") == "cache"]
    if repeat:
        print(f"\nwhere a repeat visit's time goes (ours, snapshot from the cache, median of {len(repeat)}):")
        for label, fn in STEPS:
            m = median_of(repeat, fn)
            if m is not None:
                print(f"  {label:<58}{m:>7,.0f} ms")
    second = FLOORS["second"]
    if second:
        print(f"second calculator page (ours, median of {len(second)}): the theme fetches the page in "
              f"{statistics.median(s['fetched'] for s in second):,.0f} ms and has swapped it in by "
              f"{statistics.median(s['ready'] for s in second):,.0f} ms; binding our forms takes "
              f"{statistics.median(s['forms'] for s in second):.1f} ms")

GOALS = [  # key, figure, goal text, test(ours, naive)
    ("cold", "ready, cold visit (ms)", "ours <= 0.5 x naive", lambda o, n: o <= 0.5 * n),
    ("repeat", "ready, repeat visit (ms)", "ours <= 0.3 x naive", lambda o, n: o <= 0.3 * n),
    ("slow", "ready, cold, 20 Mbit/s + 40 ms (ms)", "ours <= naive", lambda o, n: o <= n),
    ("second", "second calculator page (ms)", "ours < 100", lambda o, n: o < 100),
    ("longest", "longest calculator main-thread task (ms)", "ours <= 50", lambda o, n: o <= 50),
    ("longest_any", "  (any main-thread task, theme's too)", "(reference)", lambda o, n: True),
    ("bytes", "Pyodide bytes, page without calculator", "ours = 0", lambda o, n: o == 0),
]


def report(results: dict, runs: int) -> None:
    med = {v: {k: statistics.median(r[k]) for k, *_ in GOALS} for v, r in results.items()}
    print(f"\ncalculator boot, headless chromium {CHROMIUM}, persistent profiles, median of {runs} run(s)")
    print(f"{'figure':<40}{'ours':>10}{'naive':>10}{'ours/naive':>12}  {'goal':<22}result")
    for key, label, goal, test in GOALS:
        o, n = med["ours"][key], med["naive"][key]
        r = f"{o / n:.2f}" if n else "-"
        print(f"{label:<40}{o:>10,.0f}{n:>10,.0f}{r:>12}  {goal:<22}{'met' if test(o, n) else 'NOT MET'}")
    for variant in ("ours", "naive"):
        print(f"{variant}: second page by instant navigation in {sum(results[variant]['instant'])}/{runs} runs; "
              f"repeat visits booted by: {', '.join(results[variant]['repeat_mode'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="measurements per figure (the median is shown)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    keys = [k for k, *_ in GOALS] + ["instant", "repeat_mode"]
    results = {v: {k: [] for k in keys} for v in ("ours", "naive")}
    with tempfile.TemporaryDirectory() as tmp, Server(Path(tmp)) as server:
        bases = build_variants(Path(tmp), server.port)
        with sync_playwright() as p:
            for run in range(args.runs):
                for variant, base in bases.items():  # alternate, so drift hits both alike
                    figures = visit_figures(p, base, variant)
                    figures["slow"] = slow_cold(p, base, variant)
                    figures["bytes"] = home_pyodide_bytes(p, base)
                    for k, v in figures.items():
                        results[variant][k].append(v)
                    print(f"run {run + 1} {variant}: " + ", ".join(
                        f"{k}={v:.0f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()), flush=True)
    report(results, args.runs)
    floors()


if __name__ == "__main__":
    main()
