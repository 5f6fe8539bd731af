import tempfile
from pathlib import Path

import pytest

from tests.layers import pytest_collection_modifyitems, pytest_configure  # noqa: F401  (the layer hooks)
from tests.support import NodePyodide, StaticServer, build_site, launch_chromium


class BuiltSite:
    def __init__(self, root: Path, port: int):
        self.dir = root / "handbook"
        # Served under a sub-path, as on an intranet server, to prove nothing assumes "/".
        self.url = f"http://127.0.0.1:{port}/handbook/"

    def wheel(self) -> Path:
        (wheel,) = self.dir.glob("assets/wheels/*/calc-*-py3-none-any.whl")
        return wheel

    def register(self) -> Path:
        (register,) = self.dir.glob("assets/wheels/*/register.json")
        return register


@pytest.fixture(scope="session")
def site():
    with tempfile.TemporaryDirectory() as tmp, StaticServer(Path(tmp)) as server:
        built = BuiltSite(Path(tmp), server.port)
        proc = build_site(built.dir, built.url)
        if proc.returncode != 0:
            pytest.fail(f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}")
        yield built


@pytest.fixture(scope="session")
def node_pyodide(site):
    runner = NodePyodide(site.wheel(), site.register())
    yield runner
    runner.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def pytest_terminal_summary(terminalreporter):
    """The share of generated inputs that reach each calculator's rule (issue 9: at least
    half), with how often each answer came up."""
    from tests.strategies import REACH

    if not REACH:
        return
    terminalreporter.section("property tests: generated inputs that reach the rule")
    for name, counts in sorted(REACH.items()):
        total = counts["answered"] + counts["refused"]
        if not total:
            continue
        answers = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k not in ("answered", "refused"))
        terminalreporter.write_line(f"{name}: {counts['answered']}/{total} = {counts['answered'] / total:.0%}  ({answers})")


@pytest.fixture
def page_without_service_worker(browser):
    """A page for tests that intercept requests: interception crashes Chromium's renderer
    when a service worker is active (a DevTools matter), so none is allowed here."""
    context = browser.new_context(locale="zh-CN", service_workers="block")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()
