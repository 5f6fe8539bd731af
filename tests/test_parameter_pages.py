"""参数一览 (issue 21): every parameter of calc/policy.toml listed with its value, unit and
bound word, its clause (linked), its values over time and the source of each; each clause
that has parameters links to its rows from its document's page."""

import re

import pytest

from calc import parameters
from handbook import clauses, documents, parameter_pages, revisions, rule_parameters, tables
from tests.support import ROOT

pytestmark = pytest.mark.cpython


@pytest.fixture(scope="module")
def listing():
    docs = documents.load_all(ROOT / "docs")
    linker = tables.Linker(parameter_pages.SRC, {n: d.src_uri for n, d in docs.items()}, clauses.CitationRegister())
    return parameter_pages.register(docs, revisions.load(), linker)


def rows(page: str) -> dict[str, str]:
    return {m[1]: m[0] for m in re.finditer(r'^\| <span data-parameter="([^"]+)">.*$', page, re.M)}


def test_every_parameter_is_listed_with_its_clause_and_dated_values(listing):
    listed = rows(listing)
    params = rule_parameters.flat(rule_parameters.resolved(parameters._source()))
    assert set(listed) == set(params)
    source = parameters._source()
    for path, spec in params.items():
        row = listed[path]
        clause = spec["clause"]
        if re.fullmatch(r"[A-Z]{2}-\d{2}-[\d-]+", clause):
            assert f"#{clause})" in row, path                      # linked to its clause
        node = parameter_pages._node(source, path)
        for entry in node.get("values", []):
            assert f"第 {entry['version']} 版" in row and str(entry["value"]) in row, path
    # The one dated value of the handbook: KH-02 2.0 brought tier A's 90 days down to 60.
    row = listed["tier_terms.max_payment_days.A"]
    assert "| 60天以内 |" in row and "第 2.0 版之前：90天以内<br>第 2.0 版（2026-12-01 生效）：60天以内" in row
    assert "第 2.0 版的取值：2026-11-30 发布，总经理批准" in row
    # Bound words read as the text reads them.
    assert "| 不超过10% |" in listed["credit_check.max_overdue_share"]
    assert "| 1年以上 |" in listed["credit_grade.min_cooperation_years"]


def test_a_parameter_links_the_decisions_that_settle_its_clause(listing):
    docs = documents.load_all(ROOT / "docs")
    linker = tables.Linker("reference/sources.md", {n: d.src_uri for n, d in docs.items()}, clauses.CitationRegister())
    appendix = tables.source_appendix(docs, documents.sources(), linker)
    row = rows(listing)["tier_terms.max_payment_days.A"]
    links = re.findall(r"\[决定(\d+)　([^\]]+)\]\(sources\.md#decision-(\d+)\)", row)
    assert links and any(topic.startswith("A类付款期限") for _, topic, _ in links)
    for n, topic, anchor in links:
        assert n == anchor and f"### 决定{n}　{topic} {{ #decision-{n} }}" in appendix


def test_each_clause_with_parameters_links_to_its_rows(listing):
    wanted = parameter_pages.clauses_with_parameters()
    assert "FW-03-7" in wanted and "XY-03-4-1" in wanted and "XY-03-1" not in wanted
    for clause in wanted:
        assert f'<span id="p-{clause}"></span>' in listing, clause
    html = ('<h3 id="FW-03-7">第七条<a class="headerlink" href="#FW-03-7" title="本条链接">¶</a></h3>'
            '<p id="XY-03-4-1">（一）…<a class="headerlink" href="#XY-03-4-1" title="XY-03 第四条第（一）项">¶</a></p>'
            '<h3 id="XY-03-1">第一条<a class="headerlink" href="#XY-03-1" title="本条链接">¶</a></h3>')
    out = parameter_pages.add_links(html, "../../")
    assert ('¶</a><a class="clause-params" href="../../reference/parameters/#p-FW-03-7" title="FW-03 第七条的参数"'
            ' data-search-exclude>参数</a></h3>') in out
    assert 'href="../../reference/parameters/#p-XY-03-4-1"' in out
    assert "#p-XY-03-1" not in out and out.count("clause-params") == 2
