"""The layer check (tests/layers.py): a test without a layer marker, with two, or with a
marker its fixtures contradict fails the whole run, even one that selects another layer."""

import os
import subprocess
import sys
import textwrap

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.cpython

CONFTEST = """
import pytest
from tests.layers import pytest_collection_modifyitems, pytest_configure

@pytest.fixture
def site():
    return "a built site"
"""


def run_pytest(tmp_path, source: str, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider --strict-markers\n")
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_sample.py").write_text("import pytest\n\n" + textwrap.dedent(source))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [(), ("-m", "cpython")])
def test_a_test_without_a_layer_fails_the_run(tmp_path, args):
    proc = run_pytest(tmp_path, """
        @pytest.mark.cpython
        def test_marked():
            pass

        def test_unmarked():
            pass
        """, *args)
    assert proc.returncode not in (0, 5), proc.stdout
    assert "test_sample.py::test_unmarked: no layer marker" in proc.stderr
    assert "test_marked" not in proc.stderr


def test_two_layers_fail_the_run(tmp_path):
    proc = run_pytest(tmp_path, """
        pytestmark = pytest.mark.cpython

        @pytest.mark.chromium
        def test_both():
            pass
        """)
    assert proc.returncode not in (0, 5)
    assert "test_sample.py::test_both: more than one layer marker (chromium, cpython)" in proc.stderr


def test_a_fast_test_that_uses_the_built_site_fails_the_run(tmp_path):
    proc = run_pytest(tmp_path, """
        @pytest.mark.cpython
        def test_reads_the_site(site):
            pass
        """)
    assert proc.returncode not in (0, 5)
    assert "test_reads_the_site: marked cpython but uses the fixture site, which makes it a build test" in proc.stderr


def test_each_test_in_one_layer_passes_and_m_selects_by_layer(tmp_path):
    """Control for the refusals above."""
    proc = run_pytest(tmp_path, """
        pytestmark = pytest.mark.build

        def test_reads_the_site(site):
            pass

        @pytest.mark.parametrize("n", [1, 2])
        def test_also_build(n):
            pass
        """, "-m", "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 passed" in proc.stdout
