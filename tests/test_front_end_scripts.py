"""The calculators' scripts as published: no test hooks in production code, and the
runtime script never holds up the parser, under an address that names its version."""

import re

import pytest

from handbook import build_cache

pytestmark = pytest.mark.build   # reads the built site

SCRIPTS = ("calc-runtime.js", "calc-worker.mjs", "calculator.js", "calculator-dom.js", "calculator-errors.js",
           "calculator-status.js", "calculator-form.js", "calculator-share.js", "calculator-record.js",
           "calculator-result.js", "calculator-upload.js", "calc-progress.js", "revisions.js")


def test_production_scripts_carry_no_test_hooks(site):
    for name in SCRIPTS:
        text = (site.dir / "assets/javascripts" / name).read_text(encoding="utf-8")
        for hook in ("HandbookRuntimeSettings", "configure(", "configure:", "handbookPython"):
            assert hook not in text, (name, hook)


def test_the_runtime_script_never_blocks_the_parser_and_names_its_version(site):
    digest = build_cache.file_digest(site.dir / "assets/javascripts/calc-runtime.js")[:12]
    src = f"../../assets/javascripts/calc-runtime.js?v={digest}"
    page = (site.dir / "xinyong/XY-03/index.html").read_text(encoding="utf-8")
    head, body = page.split("</head>", 1)
    early = re.findall(r"<script\b[^>]*calc-runtime[^>]*>", head)
    assert len(early) == 1 and " async" in early[0] and f'src="{src}"' in early[0], early
    # The other copy, on every page, sits before the theme's bundle at the end of the body.
    late = re.findall(r"<script\b[^>]*calc-runtime[^>]*>", body)
    assert late == [f'<script src="{src}">'], late
    assert body.index(late[0]) < body.index("assets/javascripts/bundle.")
    home = (site.dir / "index.html").read_text(encoding="utf-8")
    assert "data-calc-runtime" not in home and f'src="assets/javascripts/calc-runtime.js?v={digest}"' in home
