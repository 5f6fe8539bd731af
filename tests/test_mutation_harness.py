"""make mutation's harness (tests/mutation.py): the mutants it makes, and that applying one
changes what the code does (else every mutant would survive, or every one die)."""

import json
import os
import subprocess
import sys

import pytest

from tests import mutation
from tests.support import ROOT

pytestmark = pytest.mark.cpython

SAMPLE = '''
def rule(x, names):
    """说明文字不是判定。"""
    if x <= 10 and not names:
        return x * 2 + 1
    label = "key"
    return f"超过{x}元" if x in names else True
'''


def test_each_kind_of_change_is_made_and_docstrings_and_keys_are_left():
    changes = [m["change"] for m in mutation.mutants("calc/sample.py", SAMPLE)]
    for change in ("<= -> <", "and -> or", "not x -> x", "* -> /", "+ -> -", "10 -> 11", "2 -> 3",
                   "in -> not in", "True -> False", "'超过' -> 'XX…XX'", "'元' -> 'XX…XX'"):
        assert change in changes, change
    assert not any("说明文字" in c or "'key'" in c for c in changes)


def test_a_mutant_changes_the_function_everywhere_it_is_used():
    """numbers.shown (四舍五入) turned into its mutant `sign ... else 2`: the callers that
    imported it under another name see the change (the code object is swapped in place)."""
    source = (ROOT / "calc" / "numbers.py").read_text(encoding="utf-8")
    (m,) = [m for m in mutation.mutants("calc/numbers.py", source)
            if m["function"] == "shown" and m["text"].startswith("sign =") and m["change"] == "1 -> 2"
            and m["col"] > 20]
    code = ("import json, sys; from tests import mutation; from calc import service_rating as s; "
            "before = s.shown(1.555); mutation.apply(json.loads(sys.argv[1]), sys.argv[2]); "
            "print(before, s.shown(1.555))")
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(m), source], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1.56", "3.12"]
