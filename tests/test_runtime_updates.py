"""An answer is never computed on last week's rules: two builds of the handbook in one
browser session, the second deployed while the first is open. v2 raises the years of
cooperation an A grade needs from 1 to 3 (text and calculator); a customer of 2 years is A
under v1 and B under v2. Whatever the server's caching (here python's http.server, which
sends no Cache-Control, like Apache's default) and however the page is reached (instant
navigation in a tab left open, a reload), the page's rules and the engine's are one build."""

import hashlib
import base64
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import ROOT, StaticServer, load_cases, runtime_config, wait_until


CALC = '[data-calculator="credit-grade"]'
# The new expectations of credit-grade's worked cases under the project's (changed) rules.
REEXPECT = """
import json
from calc.registry import run
from handbook import case_files
path = case_files.CASES_DIR / "credit-grade.json"
data = json.loads(path.read_text(encoding="utf-8"))
for case in data["cases"]:
    for key, _, got in case_files.differences(run("credit-grade", case["input"]), case["expect"]):
        if key == "what_would_change" and got:      # kept as the case files keep it
            got = {"better": got["better"], "clauses": [n["clause"] for n in got["needs"]]}
        case["expect"][key] = got
path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\\n", encoding="utf-8")
"""
CUSTOMER = {**load_cases("credit-grade")["cases"][0]["input"], "cooperation_years": 2}
OLD_RULE, NEW_RULE = "双方业务合作1年以上", "双方业务合作3年以上"
THREE_DAYS = 3 * 24 * 3600


def build_copy(project: Path, out: Path, url: str) -> None:
    env = {**os.environ, "SITE_URL": url, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                          cwd=project, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.fixture(scope="module")
def deploy(site, tmp_path_factory):
    """A server whose /handbook/ is a link switched from v1 to v2, as a deploy would.
    v1 is the session's build (its sitemap moved to this server's address, for instant
    navigation), its files dated three days ago (a heuristic cache keeps them for hours)."""
    tmp = tmp_path_factory.mktemp("deploy")
    root = tmp / "www"
    root.mkdir()
    with StaticServer(root) as server:
        url = f"http://127.0.0.1:{server.port}/handbook/"
        v1 = tmp / "v1"
        shutil.copytree(site.dir, v1)
        sitemap = v1 / "sitemap.xml"
        sitemap.write_text(sitemap.read_text(encoding="utf-8").replace(site.url, url), encoding="utf-8")
        (v1 / "sitemap.xml.gz").unlink(missing_ok=True)
        old = time.time() - THREE_DAYS
        for path in v1.rglob("*"):
            os.utime(path, (old, old))
        project = tmp / "project"
        project.mkdir()
        for name in ("calc", "docs", "handbook", "hooks", "overrides", "revisions"):
            shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        for name in ("mkdocs.yml", "macros.py", "pyproject.toml"):
            shutil.copy(ROOT / name, project / name)
        (project / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
        policy = project / "calc" / "policy.toml"
        text = policy.read_text(encoding="utf-8")
        rule = '[credit_grade.min_cooperation_years]\nvalue = 1\n'
        assert rule in text
        policy.write_text(text.replace(rule, '[credit_grade.min_cooperation_years]\nvalue = 3\n'), encoding="utf-8")
        # As a real release would, the worked cases follow the new rule (the build checks the
        # cases a chapter shows and the self-check asks against the rules it publishes).
        subprocess.run([sys.executable, "-c", REEXPECT], cwd=project, check=True,
                       env={**os.environ, "PYTHONPATH": str(project)})
        v2 = tmp / "v2"
        build_copy(project, v2, url)
        link = root / "handbook"

        def to(version: Path) -> None:
            new = root / "handbook.new"
            new.symlink_to(version, target_is_directory=True)
            os.replace(new, link)

        to(v1)
        yield type("Deploy", (), {"url": url, "v1": v1, "v2": v2, "to": staticmethod(to)})
        to(v1)


def grade_in_the_form(page) -> str:
    for key, value in CUSTOMER.items():
        if isinstance(value, bool):
            page.set_checked(f'{CALC} input[name="{key}"]', value)
        else:
            page.fill(f'{CALC} input[name="{key}"]', str(value))
    page.click(f"{CALC} button[type=submit]")
    page.wait_for_selector(f"{CALC} .calc__result[data-outcome]", timeout=90_000)
    return page.get_attribute(f"{CALC} .calc__result", "data-outcome")


@pytest.mark.build
def test_the_two_builds_differ_in_the_rule_and_the_engine(deploy):
    assert NEW_RULE in (deploy.v2 / "xinyong/XY-03/index.html").read_text(encoding="utf-8")
    assert runtime_config(deploy.v1)["wheel"] != runtime_config(deploy.v2)["wheel"]


@pytest.mark.chromium
def test_a_tab_left_open_across_a_deploy_answers_with_the_new_rules(deploy, browser):
    context = browser.new_context(locale="zh-CN")
    try:
        deploy.to(deploy.v1)
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.goto(deploy.url + "xinyong/XY-04/")
        page.wait_for_selector('[data-calculator][data-state="ready"]')
        page.evaluate("window.__samePage = true")
        deploy.to(deploy.v2)
        page.click('.md-sidebar--primary a.md-nav__link[href$="xinyong/XY-03/"]')
        page.wait_for_selector(f"{CALC} form")
        assert page.evaluate("window.__samePage") is True     # instant navigation: the same tab
        assert NEW_RULE in page.inner_text("article")          # the new build's text
        assert grade_in_the_form(page) == "B"                  # and its engine
        assert page.evaluate("HandbookRuntime.info().wheel") == runtime_config(deploy.v2)["wheel"]
    finally:
        context.close()
        deploy.to(deploy.v1)


@pytest.mark.chromium
def test_a_reload_behind_a_server_without_cache_control_answers_with_the_new_rules(deploy, browser):
    context = browser.new_context(locale="zh-CN")
    try:
        deploy.to(deploy.v1)
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.goto(deploy.url + "xinyong/XY-03/")
        page.wait_for_selector(f'{CALC}[data-state="ready"]')
        assert OLD_RULE in page.inner_text("article")
        assert grade_in_the_form(page) == "A"
        # The runtime kept by the service worker, as a returning visitor has it.
        wait_until(page, "() => HandbookRuntime.info().kept > 0")
        deploy.to(deploy.v2)
        page.reload()
        page.wait_for_selector(f'{CALC}[data-state="ready"]')
        assert NEW_RULE in page.inner_text("article")
        assert grade_in_the_form(page) == "B"
    finally:
        context.close()
        deploy.to(deploy.v1)


@pytest.mark.chromium
def test_the_engine_reads_the_register_the_page_names(site, page_without_service_worker):
    """A page naming another register of versions (an editorial release: same wheel, new
    register) gets an engine that reads it, before its next answer."""
    page = page_without_service_worker
    register = json.loads(site.register().read_text(encoding="utf-8"))
    register["documents"]["XY-03"].append({"version": "9.9", "released": "2026-12-01", "effective": "2026-12-01"})
    body = json.dumps(register, ensure_ascii=False).encode()
    integrity = "sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    other = "wheels/ffffffffffff/register.json"
    page.route("**/" + other, lambda route: route.fulfill(status=200, content_type="application/json", body=body))
    page.goto(site.url + "xinyong/XY-03/")
    page.wait_for_selector(f'{CALC}[data-state="ready"]')
    before = page.evaluate("i => HandbookRuntime.call('credit-grade', i)", CUSTOMER)
    assert before["policy"]["version"] != "9.9"
    page.evaluate("""([path, integrity, bytes]) => {
        const holder = document.querySelector("[data-md-component=container] [data-calc-runtime]");
        const config = JSON.parse(holder.getAttribute("data-calc-runtime"));
        config.register = path;
        config.files[path] = { bytes, integrity };
        holder.setAttribute("data-calc-runtime", JSON.stringify(config));
    }""", [other, integrity, len(body)])
    after = page.evaluate("i => HandbookRuntime.call('credit-grade', i)", CUSTOMER)
    assert after["policy"]["version"] == "9.9", after["policy"]
    assert page.evaluate("HandbookRuntime.info().register") == other
