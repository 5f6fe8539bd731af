"""The texts people read in each calculator's answer, for every case of the case files, and
the customer-tiering CSV download, are the approved ones (tests/approved/, written by
tests/approved_texts.py after a reviewed change)."""

import difflib

import pytest

from tests import approved_texts

pytestmark = pytest.mark.cpython

FILES = approved_texts.files()


@pytest.mark.parametrize("name", sorted(FILES))
def test_texts_are_the_approved_ones(name):
    path = approved_texts.APPROVED / name
    approved = path.read_text(encoding="utf-8") if path.exists() else ""
    now = FILES[name]()
    if now != approved:
        diff = "\n".join(difflib.unified_diff(approved.splitlines(), now.splitlines(),
                                              f"approved {name}", "now", lineterm="", n=1))
        pytest.fail(f"the texts differ from tests/approved/{name}; if the change is meant, review it and "
                    f"run .venv/bin/python tests/approved_texts.py\n{diff[:6000]}", pytrace=False)


def test_every_approved_file_is_still_written():
    assert sorted(p.name for p in approved_texts.APPROVED.glob("*.txt")) == sorted(FILES)
