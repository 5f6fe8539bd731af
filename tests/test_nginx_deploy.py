"""deploy/nginx.conf as it is, with Debian's nginx (the Makefile installs nginx-light for
`make test`), serving the built site on 127.0.0.1 under /handbook/: MIME types, the
precompressed copies, cache headers (a year for hashed files, revalidated HTML), the CSP
header equal to the pages' <meta> plus who may frame the site, the other security headers,
and a calculator answering end to end in Chromium."""

import http.client
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from handbook import csp
from tests.support import ROOT, StaticServer, load_cases

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CASE = load_cases("credit-grade")["cases"][0]
FRAMING = '<!doctype html><title>portal</title><iframe src="{url}" width="800" height="600"></iframe>'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: `make test` installs it (apt-get install nginx-light)")
    tmp = tmp_path_factory.mktemp("nginx")
    www = tmp / "www"
    www.mkdir()
    (www / "handbook").symlink_to(site.dir)
    # Another page of the same origin (outside the handbook) that frames it.
    (www / "portal.html").write_text(FRAMING.format(url="/handbook/xinyong/XY-03/"), encoding="utf-8")
    port = free_port()
    server = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("/srv/www", str(www))
    (tmp / "nginx.conf").write_text(f"""
user root;
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    sendfile on;
    {server}
}}
""", encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60   # a loaded machine starts it slowly
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"nginx did not start: {(tmp / 'error.log').read_text() if (tmp / 'error.log').exists() else ''}")
            time.sleep(0.1)
    try:
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def head(port, path, gzip=False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def runtime_files(site):
    (wasm,) = site.dir.glob("assets/pyodide/*/pyodide.asm.wasm")
    return wasm.parent.relative_to(site.dir).as_posix()


@pytest.mark.build
def test_types_compression_cache_and_policy_headers(site, nginx):
    folder = runtime_files(site)
    wasm, body = head(nginx, f"/handbook/{folder}/pyodide.asm.wasm", gzip=True)
    assert wasm.status == 200 and wasm.getheader("Content-Type") == "application/wasm"
    assert wasm.getheader("Content-Encoding") == "gzip"
    assert len(body) == (site.dir / folder / "pyodide.asm.wasm.gz").stat().st_size  # the build's copy
    assert "immutable" in wasm.getheader("Cache-Control")
    mjs, _ = head(nginx, f"/handbook/{folder}/pyodide.mjs")
    assert mjs.getheader("Content-Type").startswith("text/javascript")
    page, html = head(nginx, "/handbook/xinyong/XY-03/")
    assert page.status == 200 and page.getheader("Cache-Control") == "no-cache"
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html.decode()).group(1)
    assert page.getheader("Content-Security-Policy") == f"{meta}; {csp.HEADER_ONLY}"
    worker, _ = head(nginx, "/handbook/assets/javascripts/calc-worker.mjs")
    assert worker.getheader("Content-Security-Policy") == f"{meta}; {csp.HEADER_ONLY}"
    assert worker.getheader("Cache-Control") == "no-cache"
    wheel, _ = head(nginx, "/handbook/" + site.wheel().relative_to(site.dir).as_posix())
    assert wheel.getheader("Content-Type") == "application/zip" and "immutable" in wheel.getheader("Cache-Control")
    missing, _ = head(nginx, "/handbook/no-such-page/")
    assert missing.status == 404
    hidden, _ = head(nginx, "/handbook/" + csp.HEADER_FILE)
    assert hidden.status == 404


@pytest.mark.build
def test_every_response_says_who_may_frame_it_and_what_to_refer(site, nginx):
    folder = runtime_files(site)
    (bundle,) = site.dir.glob("assets/javascripts/bundle.*.min.js")
    paths = ["/handbook/", "/handbook/xinyong/XY-03/", f"/handbook/{folder}/pyodide.asm.wasm",
             "/handbook/" + bundle.relative_to(site.dir).as_posix(), "/handbook/no-such-page/"]
    for path in paths:
        response, _ = head(nginx, path)
        assert response.getheader("X-Frame-Options") == "SAMEORIGIN", path
        assert response.getheader("Referrer-Policy") == "same-origin", path
        assert response.getheader("X-Content-Type-Options") == "nosniff", path
        assert "frame-ancestors 'self'" in response.getheader("Content-Security-Policy"), path
        assert response.getheader("Server") == "nginx", path   # no version


@pytest.mark.build
def test_the_theme_source_maps_are_not_published(site, nginx):
    assert list(site.dir.rglob("*.map")) == []
    (bundle,) = site.dir.glob("assets/javascripts/bundle.*.min.js")
    response, _ = head(nginx, "/handbook/" + bundle.relative_to(site.dir).as_posix() + ".map")
    assert response.status == 404


@pytest.mark.chromium
def test_only_the_sites_own_origin_can_frame_it(site, nginx, page_without_service_worker, tmp_path):
    """A portal page of another origin (another port on this machine) cannot frame the
    handbook: its response is blocked by the header's frame-ancestors. A page of the
    handbook's own origin can."""
    page = page_without_service_worker
    refused, blocked = [], []
    page.on("console", lambda m: refused.append(m.text) if "frame-ancestors" in m.text else None)
    page.on("requestfailed", lambda r: blocked.append(r.failure))
    handbook = f"http://127.0.0.1:{nginx}/handbook/xinyong/XY-03/"
    (tmp_path / "portal.html").write_text(FRAMING.format(url=handbook), encoding="utf-8")
    with StaticServer(tmp_path) as other:
        page.goto(f"http://127.0.0.1:{other.port}/portal.html")
        page.wait_for_timeout(2000)
    assert len(page.frames) == 2 and page.frames[1].url != handbook
    assert blocked == ["net::ERR_BLOCKED_BY_RESPONSE"]
    assert refused and "frame-ancestors 'self'" in refused[0]
    page.goto(f"http://127.0.0.1:{nginx}/portal.html")
    frame = page.frame_locator("iframe")
    frame.locator("h1").wait_for()
    assert frame.locator("h1").inner_text().startswith("客户信用等级评定办法")


@pytest.mark.chromium
def test_a_calculator_answers_through_nginx(site, nginx, page):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"http://127.0.0.1:{nginx}/handbook/xinyong/XY-03/")
    page.wait_for_selector('[data-calculator="credit-grade"][data-state="ready"]')
    assert page.evaluate("i => HandbookRuntime.call('credit-grade', i)", CASE["input"])["grade"] == CASE["expect"]["grade"]
    refusal = page.evaluate("i => HandbookRuntime.call('credit-grade', i)", {**CASE["input"], "cooperation_years": "三年"})
    assert "error" in refusal and "Traceback" not in refusal["error"]
    assert violations == []


@pytest.mark.build
def test_large_files_have_precompressed_copies_of_the_same_bytes(site):
    import gzip

    import brotli

    (wasm,) = site.dir.glob("assets/pyodide/*/pyodide.asm.wasm")
    page = site.dir / "xinyong" / "XY-03" / "index.html"
    for path in (wasm, wasm.with_name("pyodide.asm.mjs"), page):
        data = path.read_bytes()
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == data
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data
