"""Content-Security-Policy (handbook/csp.py) without a browser: only the scripts the theme's
and our templates emit are allowed, known from the templates, not from the built pages; a
script in page content (a document's Markdown, a released snapshot) fails the build, naming
the page; the header and the <meta> carry the same policy."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

import material
from handbook import csp
from tests.support import ROOT

THEME_DIRS = [ROOT / "overrides", Path(material.__file__).parent / "templates"]
# What Material's partials/javascripts/base.html writes on a page two levels down.
SCOPE = ('__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
         '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
         '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}')
TARGET = 'var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))'


def page(body: str = "<p>正文</p>", scripts=(SCOPE, TARGET)) -> str:
    inline = "".join(f"<script>{s}</script>" for s in scripts)
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body>{body}'
            f'<script id="__config" type="application/json">{{"base": "../.."}}</script>{inline}'
            '<script src="../../assets/javascripts/bundle.a5f9d56c.min.js"></script></body></html>')


def site(tmp_path, pages: dict[str, str]) -> Path:
    for rel, html in pages.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(html, encoding="utf-8")
    return tmp_path


def sha(body: str) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


@pytest.mark.cpython
def test_the_theme_scripts_are_allowed_from_the_templates():
    allowed = csp.template_scripts(THEME_DIRS)
    assert csp.allowed(SCOPE, allowed) and csp.allowed(TARGET, allowed)
    for base in (".", "..", "/handbook/"):  # the home page, one level down, the 404 page
        assert csp.allowed(SCOPE.replace('"../.."', f'"{base}"'), allowed), base


@pytest.mark.cpython
@pytest.mark.parametrize("body", [
    "alert(1)",
    SCOPE.replace('"../.."', '"..");alert(1);("'),    # the theme's script with a payload in its fill
    SCOPE + ";alert(1)",
    TARGET.replace("target.checked", "alert(1),target.checked"),
])
def test_other_scripts_are_not(body):
    assert not csp.allowed(body, csp.template_scripts(THEME_DIRS))


@pytest.mark.cpython
@pytest.mark.parametrize("html", [
    "<p>甲</p>\n<script>alert(1)</script>",
    '<p>甲</p><SCRIPT type="module">alert(1)</SCRIPT>',
    '<script src="../assets/x.js"></script>',
    '<script data-x="application/json">alert(1)</script>',   # a data type named, but not as its type
])
def test_a_script_in_page_content_is_reported(html):
    problems = csp.content_scripts(html)
    assert len(problems) == 1 and "脚本" in problems[0]


@pytest.mark.cpython
def test_text_about_scripts_is_not_a_script():
    assert csp.content_scripts("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><pre><code>&lt;script&gt;</code></pre>") == []


@pytest.mark.cpython
def test_the_policy_names_only_the_theme_scripts(tmp_path):
    root = site(tmp_path, {"index.html": page(), "a/b/index.html": page(scripts=(SCOPE.replace('"../.."', '".."'),))})
    policy = csp.apply(root, THEME_DIRS)
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src "))
    assert set(re.findall(r"'sha256-[^']+'", script_src)) == {sha(SCOPE), sha(TARGET), sha(SCOPE.replace('"../.."', '".."'))}


@pytest.mark.cpython
def test_an_inline_script_not_in_the_templates_fails_the_build(tmp_path):
    root = site(tmp_path, {"index.html": page(), "xinyong/XY-06/index.html": page(scripts=(SCOPE, "alert(1)"))})
    with pytest.raises(ValueError) as e:
        csp.apply(root, THEME_DIRS)
    message = str(e.value)
    assert "xinyong/XY-06/index.html" in message and "alert(1)" in message and "脚本" in message
    assert not (root / csp.HEADER_FILE).exists()
    assert "Content-Security-Policy" not in (root / "index.html").read_text(encoding="utf-8")


@pytest.mark.cpython
def test_every_page_gets_the_meta_even_one_that_names_the_header(tmp_path):
    root = site(tmp_path, {"index.html": page("<p>本手册发送 Content-Security-Policy 头。</p>")})
    policy = csp.apply(root, THEME_DIRS)
    assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in (root / "index.html").read_text(encoding="utf-8")


@pytest.mark.cpython
def test_the_header_is_the_meta_policy_and_who_may_frame_the_site(tmp_path):
    root = site(tmp_path, {"index.html": page()})
    policy = csp.apply(root, THEME_DIRS)
    header = re.search(r'Content-Security-Policy "([^"]+)"', (root / csp.HEADER_FILE).read_text(encoding="utf-8"))[1]
    # frame-ancestors is ignored (with a console warning) in a <meta>: the header alone has it.
    assert header == policy + "; frame-ancestors 'self'"
    assert "frame-ancestors" not in policy


# --- the real build: content with a script fails it ----------------------------------------

PATCH = """
import sys
from handbook import revisions
real = revisions.snapshot_text
def snapshot_text(path):
    header, body = real(path)
    if path.parent.name == "XY-03" and path.name == "1.0.md":
        body += "\\n\\n<script>alert(1)</script>\\n"
    return header, body
revisions.snapshot_text = snapshot_text
from mkdocs.__main__ import cli
sys.exit(cli())
"""


@pytest.mark.pyodide   # a whole build (its runtime step runs Pyodide in Node)
def test_a_script_in_a_document_or_a_snapshot_fails_the_build(tmp_path):
    from tests.test_build import scratch_project

    config = scratch_project(tmp_path, "# 附加\n\n<script>window.__xss = 1</script>\n")
    doc = tmp_path / "docs" / "xinyong" / "XY-06.md"
    doc.write_text(doc.read_text(encoding="utf-8") + '\n<script>document.title = "XSS"</script>\n', encoding="utf-8")
    # A released snapshot holding a script (as if written before this check existed): the
    # snapshot's text is read through revisions.snapshot_text, patched here.
    proc = subprocess.run([sys.executable, "-c", PATCH, "build", "--strict", "-f", str(config), "-d", str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1",
                               "SITE_URL": "http://127.0.0.1:8000/", "HOME": str(tmp_path)})
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    for src in ("extra.md", "xinyong/XY-06.md", "xinyong/XY-03-v1.0.md"):
        assert re.search(rf"^{re.escape(src)}：.*脚本", out, re.M), (src, out[-3000:])
    assert "Traceback" not in out
