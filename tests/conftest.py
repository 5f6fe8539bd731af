import tempfile
from pathlib import Path

import pytest

from tests.support import NodePyodide, StaticServer, build_site, launch_chromium


class BuiltSite:
    def __init__(self, root: Path, port: int):
        self.dir = root / "handbook"
        # Served under a sub-path, as on an intranet server, to prove nothing assumes "/".
        self.url = f"http://127.0.0.1:{port}/handbook/"

    def wheel(self) -> Path:
        (wheel,) = self.dir.glob("assets/wheels/*/calc-*-py3-none-any.whl")
        return wheel


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
    runner = NodePyodide(site.wheel())
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
