"""Shared by the tests and the benchmarks: build the site, serve it on 127.0.0.1 under a
sub-path (as an intranet server might), launch Debian's chromium, run Pyodide in Node."""

import functools
import json
import os
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries Google's hosts at every start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps"]


from handbook.case_files import CASES_DIR as CASES, load as load_cases   # noqa: E402,F401  shared with the build


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json", ".whl": "application/zip"}

    def log_message(self, *args):
        pass


class StaticServer:
    """Any static web server will do; this one serves a folder on 127.0.0.1."""

    def __init__(self, root: Path):
        handler = functools.partial(_Handler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def build_site(site_dir: Path, site_url: str, config: Path = ROOT / "mkdocs.yml") -> subprocess.CompletedProcess:
    env = {**os.environ, "SITE_URL": site_url, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True)


def launch_chromium(playwright, **kwargs):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **kwargs)


class NodePyodide:
    """One Pyodide boot under Node.js, fed calculator calls line by line."""

    def __init__(self, wheel: Path, register: Path):
        self.proc = subprocess.Popen(
            ["node", str(ROOT / "tests" / "pyodide_runner.mjs"), str(wheel), str(register)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
        ready = json.loads(self.proc.stdout.readline() or "{}")
        if ready.get("ready") is not True:
            raise RuntimeError(f"Pyodide did not boot: {ready!r}")
        self.python = ready["python"]

    def run(self, name: str, data) -> dict:
        self.proc.stdin.write(json.dumps({"name": name, "input": json.dumps(data, ensure_ascii=False)},
                                         ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return json.loads(json.loads(self.proc.stdout.readline())["output"])

    def upload(self, name: str, data: bytes) -> dict:
        self.proc.stdin.write(json.dumps({"name": name, "upload": data.hex()}) + "\n")
        self.proc.stdin.flush()
        return json.loads(json.loads(self.proc.stdout.readline())["output"])

    def run_raw(self, name: str, text: str) -> dict:
        self.proc.stdin.write(json.dumps({"name": name, "input": text}, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return json.loads(json.loads(self.proc.stdout.readline())["output"])

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def wait_until(page, predicate_js: str, arg=None, timeout_ms: int = 60_000) -> None:
    """Poll an async page predicate until it is true (page.wait_for_function takes the
    promise an async predicate returns as a truthy value, and returns at once)."""
    for _ in range(timeout_ms // 250):
        if page.evaluate(predicate_js, arg):
            return
        page.wait_for_timeout(250)
    assert page.evaluate(predicate_js, arg), f"still false after {timeout_ms} ms: {predicate_js}"


def runtime_config(site_dir: Path, page: str = "xinyong/XY-03/") -> dict:
    """The calculators' runtime configuration a built page carries (overrides/main.html)."""
    import html
    import re

    text = (site_dir / page / "index.html").read_text(encoding="utf-8")
    return json.loads(html.unescape(re.search(r'<div hidden data-calc-runtime="([^"]*)"', text).group(1)))


# Test-only: the production scripts read their limits and addresses from the page's runtime
# configuration and have no test hooks. This init script (Playwright add_init_script)
# changes that configuration as the page is parsed, before calc-runtime.js reads it, and
# again on every page instant navigation brings in.
_OVERRIDE_JS = """(() => {
  const changes = __CHANGES__;
  const apply = (el) => {
    if (el.hasAttribute("data-test-changed")) return;
    const config = JSON.parse(el.getAttribute("data-calc-runtime"));
    for (const [key, value] of Object.entries(changes)) {
      config[key] = value && typeof value === "object" && !Array.isArray(value)
        ? Object.assign({}, config[key] || {}, value) : value;
    }
    el.setAttribute("data-calc-runtime", JSON.stringify(config));
    el.setAttribute("data-test-changed", "");
  };
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      if (node.hasAttribute("data-calc-runtime")) apply(node);
      node.querySelectorAll("[data-calc-runtime]").forEach(apply);
    }
  }).observe(document, { childList: true, subtree: true });
})();"""


def runtime_override(**changes) -> str:
    """e.g. runtime_override(settings={"firstVisitSnapshotMs": 1}) for a slow first visit."""
    return _OVERRIDE_JS.replace("__CHANGES__", json.dumps(changes))
