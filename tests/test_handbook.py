"""The handbook as a set of controlled documents: the build refuses a document without
its control fields, a role not in the roster, a number typed where the parameter file has
it, a duplicate anchor; every source is covered; the generated pages exist."""

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from handbook import documents, roster
from tests.support import ROOT, build_site
from tests.test_build import scratch_project

def seed_index() -> Path:
    """The seed collection's index: shared/ beside the checkout (as in CI), or beside the
    repository this one was cloned from (a fresh clone in a temporary folder)."""
    places = [ROOT.parent]
    origin = subprocess.run(["git", "config", "--get", "remote.origin.url"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    if origin and Path(origin).is_dir():
        places.append(Path(origin).resolve().parent)
    for place in places:
        path = place / "shared" / "seed" / "README.md"
        if path.exists():
            return path
    # The sources are not part of the repository: a fresh clone with nothing beside it skips.
    pytest.skip(f"来源资料不在仓库内，未找到 shared/seed/README.md（查找了 {', '.join(map(str, places))}），跳过来源覆盖检查")
DOCS = documents.load_all()


def build_scratch(tmp_path, edit):
    config = scratch_project(tmp_path)
    edit(tmp_path / "docs")
    return build_site(tmp_path / "out", "http://127.0.0.1:8000/", config)


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.cpython
def test_document_without_a_control_field_fails_the_build(tmp_path):
    proc = build_scratch(tmp_path, lambda d: replace_in(d / "kehu" / "KH-01.md", "review_cycle:", "x_review_cycle:"))
    assert proc.returncode != 0
    assert "KH-01：缺少控制字段 review_cycle（复审周期（月））" in proc.stderr


@pytest.mark.cpython
def test_role_not_in_the_roster_fails_the_build(tmp_path):
    proc = build_scratch(tmp_path, lambda d: replace_in(d / "kehu" / "KH-01.md", "approver: ", "approver: chief_wizard #"))
    assert proc.returncode != 0
    assert "名册中没有 'chief_wizard'" in proc.stderr


@pytest.mark.cpython
def test_role_not_in_the_roster_in_a_data_file_is_refused():
    with pytest.raises(documents.DocumentError, match="名册中没有 'nobody'"):
        documents.check_data("XY-99", {"duty": [{"role": "nobody", "clause": "XY-99-1", "text": "x"}]}, set())


@pytest.mark.build
def test_number_typed_where_the_parameter_file_has_it_fails_the_build(tmp_path):
    proc = build_scratch(tmp_path, lambda d: (d / "extra.md").write_text("# 附加\n\n合作满1年的客户。\n", encoding="utf-8"))
    assert proc.returncode != 0
    assert 'extra.md：“1年”应写作 {{ param("credit_grade.min_cooperation_years") }}' in proc.stderr


@pytest.mark.build
def test_duplicate_clause_anchor_fails_the_build(tmp_path):
    proc = build_scratch(tmp_path, lambda d: replace_in(d / "xinyong" / "XY-03.md", "{ #XY-03-2 }", "{ #XY-03-1 }"))
    assert proc.returncode != 0
    assert "条款锚点 XY-03-1 重复" in proc.stderr


@pytest.mark.cpython
def test_every_source_in_the_seed_index_is_covered_by_a_document():
    seed_ranges = set(re.findall(r"^\| (\d+-\d+) \| (?!\(page footer\))", seed_index().read_text(encoding="utf-8"), re.M))
    ours = documents.sources()
    assert {s["lines"] for s in ours.values()} == seed_ranges
    used = {s for d in DOCS.values() for s in d.meta["sources"]}
    assert set(ours) <= used, set(ours) - used


@pytest.mark.cpython
def test_register_has_every_document_and_each_has_its_page():
    register = tomllib.loads((ROOT / "calc" / "policy.toml").read_text(encoding="utf-8"))["documents"]
    assert set(register) == set(DOCS)


@pytest.mark.cpython
def test_roster_ids_are_unique_and_named():
    entries = roster.entries()
    assert all(e["name"] for e in entries.values())
    for e in entries.values():
        if e["kind_of"] == "position":
            assert e["unit"] in entries


@pytest.mark.build
def test_each_document_page_shows_control_block_and_role_table(site):
    for number, doc in DOCS.items():
        html = (site.dir / doc.src_uri.replace(".md", "") / "index.html").read_text(encoding="utf-8")
        assert "<caption>受控文件</caption>" in html, number
        # The control strip leads (编号 · 版本 · …), the rest of the block folded under it.
        assert f"<dt>编号</dt><dd>{number}</dd>" in html and f"<dt>版本</dt><dd>{doc.version}</dd>" in html, number
        assert "部门 / 岗位" in html, f"{number} has no role/responsibility table"
        assert f'id="{number}-1"' in html, number


@pytest.mark.build
def test_processes_render_as_step_tables_and_lanes(site):
    processes = [(n, p) for n, d in DOCS.items() for p in d.data.get("process", [])]
    assert len(processes) >= 5
    for number, proc in processes:
        html = (site.dir / DOCS[number].src_uri.replace(".md", "") / "index.html").read_text(encoding="utf-8")
        assert f"<caption>{proc['title']}</caption>" in html, (number, proc["id"])
        assert html.count('class="lane__step') >= len(proc["step"])


@pytest.mark.build
@pytest.mark.parametrize("form", ["服务登记簿", "服务凭证", "客户信用调查评定表", "客户基本信息表",
                                  "客户信息维护表", "客户信用申请表", "异地服务申请单"]
                         + [f"表{i}" for i in range(1, 12)])
def test_form_register_lists_the_sources_forms(site, form):
    html = (site.dir / "reference" / "forms" / "index.html").read_text(encoding="utf-8")
    assert f"《{form}" in html


@pytest.mark.build
def test_role_index_links_each_duty_to_its_clause(site):
    html = (site.dir / "reference" / "roles" / "index.html").read_text(encoding="utf-8")
    for role in ("role-finance", "role-service_manager", "role-sales_rep"):
        assert f'id="{role}"' in html
    duty = next(d for doc in DOCS.values() for d in doc.data.get("duty", []))
    assert f'#{duty["clause"]}"' in html


@pytest.mark.build
def test_glossary_terms_become_tooltips(site):
    terms = {t["term"]: t["definition"] for d in DOCS.values() for t in d.data.get("term", [])}
    assert len(terms) >= 15
    shown = 0
    for page in site.dir.glob("*/*/index.html"):
        shown += page.read_text(encoding="utf-8").count("<abbr title=")
    assert shown >= 15


@pytest.mark.build
def test_source_appendix_records_the_decisions(site):
    html = (site.dir / "reference" / "sources" / "index.html").read_text(encoding="utf-8")
    decisions = [dec for d in DOCS.values() for dec in d.data.get("decision", [])]
    assert len(decisions) >= 9
    for dec in decisions:
        assert dec["topic"] in html
    for number, doc in DOCS.items():
        articles = set(re.findall(rf"\{{ #({number}-\d+) \}}", doc.path.read_text(encoding="utf-8")))
        mapped = {s["clause"] for s in doc.data.get("source", [])}
        assert articles <= mapped, f"{number}: articles without a source entry: {sorted(articles - mapped)}"


def search_docs(site) -> list[dict]:
    return json.loads((site.dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


@pytest.mark.build
@pytest.mark.parametrize("term,document", [
    ("信用额度", "xinyong/XY-04/"), ("风险类别", "xinyong/XY-05/"), ("服务登记簿", "fuwu/FW-01/"),
    ("迟到", "fuwu/FW-03/"), ("坏账率", "xinyong/XY-01/"), ("分级", "kehu/KH-02/"),
    ("大客户经理", "kehu/KH-05/"), ("客户档案", "kehu/KH-03/"),
])
def test_search_index_finds_domain_terms_in_the_right_document(site, term, document):
    hits = [d["location"] for d in search_docs(site) if term in d["text"].replace("\u200b", "").split()
            or term in d["text"].split("\u200b")]
    assert any(h.startswith(document) for h in hits), (term, hits[:10])
