"""The build and the worked cases (issue 21): a shown case that disagrees with the calculator
stops the build, naming it; the build reads nothing under tests/ (an audit hook watches)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.support import ROOT
from tests.test_worked_examples import CASE_QUESTIONS

pytestmark = pytest.mark.build


# --- the build ------------------------------------------------------------------------------

def _copy(tmp_path):
    from tests.test_release import copy_project
    return copy_project(tmp_path / "project")


def _build(project, site) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=project,
                          capture_output=True, text=True,
                          env={"PYTHONPATH": str(project), "PATH": os.environ["PATH"], "HOME": str(project),
                               "NO_MKDOCS_2_WARNING": "1"})


def test_a_build_with_a_shown_case_that_is_wrong_fails_naming_it(tmp_path):
    project = _copy(tmp_path)
    path = project / "handbook" / "data" / "cases" / "credit-check.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    asked = {q["name"] for q in CASE_QUESTIONS}
    case = next(c for c in data["cases"] if c.get("example") and c["name"] not in asked)
    case["expect"]["decision"] = "block" if case["expect"]["decision"] == "pass" else "pass"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    proc = _build(project, tmp_path / "site")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert case["name"] in out and "XY-05.md" in out and "案例" in out, out[-3000:]


_AUDIT = textwrap.dedent("""
    import os, sys
    tests = os.path.realpath(sys.argv[1])
    opened = []

    def under_tests(path):
        path = os.path.realpath(os.path.join(os.getcwd(), os.fsdecode(path)))
        return path == tests or path.startswith(tests + os.sep)

    def hook(event, args):
        if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
            if under_tests(args[0]):
                opened.append(f"{event} {os.fsdecode(args[0])}")
        elif event == "subprocess.Popen" and isinstance(args[1], (list, tuple)):
            if any("tests" in os.fsdecode(a).split(os.sep) for a in args[1]):
                opened.append(f"run {args[1]}")

    sys.addaudithook(hook)
    import atexit
    atexit.register(lambda: sys.stderr.write("OPENED UNDER TESTS: " + repr(opened) + "\\n"))
    sys.argv = sys.argv[2:]
    if sys.argv[0] == "-c":
        exec(sys.argv[1])
    else:
        from mkdocs.__main__ import cli
        cli()
""")


def _audited(tmp_path, *args) -> subprocess.CompletedProcess:
    script = tmp_path / "audit.py"
    script.write_text(_AUDIT, encoding="utf-8")
    return subprocess.run([sys.executable, str(script), str(ROOT / "tests"), *args], cwd=ROOT,
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"})


def _opened(proc) -> list:
    line = next(x for x in proc.stderr.splitlines() if x.startswith("OPENED UNDER TESTS: "))
    return eval(line.split(": ", 1)[1])   # noqa: S307  the list our own hook printed


def test_the_audit_sees_a_file_opened_under_tests(tmp_path):
    """Control for the build below: reading a case the old way is seen."""
    proc = _audited(tmp_path, "-c", "import tests.cases")
    assert any("tests" in o for o in _opened(proc)), proc.stderr[-2000:]


def test_the_build_opens_nothing_under_tests(tmp_path):
    proc = _audited(tmp_path, "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert _opened(proc) == []
    html = (tmp_path / "site" / "xinyong" / "XY-03" / "index.html").read_text(encoding="utf-8")
    assert 'data-worked-examples="credit-grade"' in html
