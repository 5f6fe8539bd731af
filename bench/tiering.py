"""How long tiering 10,000 customers takes: in CPython (the baseline), in Pyodide under
Node.js, and in the page (upload a CSV, read the table), measured in the same run.

Two lists: customers given by total score, and customers given by the eight scored items
(the heavier path: each ranked item sorts the whole list). The page figure runs from the
moment the file is handed to the file input until the result table has data-outcome:
reading the file, Python in the worker, and building the 10,000-row table. Aim: under one
second in the page.

Run: PYTHONPATH=. .venv/bin/python bench/tiering.py [--customers N] [--runs N]
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calc import run  # noqa: E402
from calc.customer_tiering import write_csv  # noqa: E402
from tests.support import NodePyodide, StaticServer, build_site, launch_chromium  # noqa: E402

RANK_ITEMS = ("sales_scale", "profit_margin", "order_volume", "our_share", "trading_history")
GRADE_ITEMS = ("payment_record", "sales_mode", "reputation")
ANSWER_JS = """
window.__answerAt = null;
new MutationObserver(function () {
  var r = document.querySelector('[data-calculator="customer-tiering"] .calc__result');
  if (window.__answerAt === null && r && r.getAttribute("data-outcome")) window.__answerAt = performance.now();
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-outcome"] });
"""


def customers(n: int, by_items: bool, seed: int = 1) -> list[dict]:
    rnd = random.Random(seed)
    if not by_items:
        return [{"id": f"C{i:05d}", "score": round(rnd.uniform(0, 100), 1)} for i in range(n)]
    return [{"id": f"C{i:05d}",
             "items": {**{k: rnd.randint(0, 10**6) for k in RANK_ITEMS},
                       **{k: rnd.randint(0, 5) for k in GRADE_ITEMS}}} for i in range(n)]


def as_csv(rows: list[dict]) -> bytes:
    if "score" in rows[0]:
        text = "客户编号,总分\n" + "".join(f"{c['id']},{c['score']}\n" for c in rows)
    else:
        codes = RANK_ITEMS + GRADE_ITEMS
        text = "客户编号," + ",".join(codes) + "\n" + "".join(
            c["id"] + "," + ",".join(str(c["items"][k]) for k in codes) + "\n" for c in rows)
    return text.encode("gb18030")  # as Excel saves it on Chinese Windows


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def page_ms(page, url: str, csv_path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        page.goto(url)
        page.wait_for_selector('[data-calculator="customer-tiering"][data-state="ready"]', timeout=60_000)
        start = page.evaluate("performance.now()")
        page.set_input_files('[data-calculator="customer-tiering"] input[type=file]', str(csv_path))
        page.wait_for_function("() => window.__answerAt !== null", timeout=60_000)
        times.append(page.evaluate("window.__answerAt") - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    lists = {"by score": customers(args.customers, False), "by 8 items": customers(args.customers, True)}
    results = {}
    with tempfile.TemporaryDirectory() as tmp, StaticServer(Path(tmp)) as server:
        site_dir, url = Path(tmp) / "handbook", f"http://127.0.0.1:{server.port}/handbook/"
        proc = build_site(site_dir, url)
        if proc.returncode:
            sys.exit(proc.stderr)
        wheel = next(site_dir.glob("assets/wheels/*/calc-*.whl"))
        node = NodePyodide(wheel, next(site_dir.glob("assets/wheels/*/register.json")))
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page()
            page.add_init_script(ANSWER_JS)
            for label, rows in lists.items():
                data = {"customers": rows}
                cpython = median_ms(lambda: write_csv(run("customer-tiering", data)), args.runs)
                pyodide = median_ms(lambda: node.upload("customer-tiering", as_csv(rows)), args.runs)
                csv_path = Path(tmp) / f"{label}.csv"
                csv_path.write_bytes(as_csv(rows))
                in_page = page_ms(page, url + "kehu/KH-02/", csv_path, args.runs)
                results[label] = (cpython, pyodide, in_page)
            browser.close()
        node.close()

    print(f"tiering {args.customers:,} customers, median of {args.runs} run(s); CPython {sys.version.split()[0]} is the baseline")
    print(f"{'list':<12}{'CPython':>12}{'Pyodide/Node':>15}{'page (upload→table)':>22}{'page/CPython':>14}")
    for label, (cp, py, pg) in results.items():
        print(f"{label:<12}{cp:>10.0f}ms{py:>13.0f}ms{pg:>20.0f}ms{pg / cp:>13.1f}x")
    worst = max(pg for _, _, pg in results.values())
    print(f"summary: page {worst:.0f} ms for {args.customers:,} customers (aim < 1000 ms: "
          f"{'met' if worst < 1000 else 'NOT met'}); Pyodide/Node includes CSV decoding and the pipe")


if __name__ == "__main__":
    main()
