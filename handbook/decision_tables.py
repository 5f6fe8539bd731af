"""A calculator's decision tables on its chapter page (handbook/decisions/ builds them from
the rule data the calculator reads), rendered with overrides/partials/decision-tables.html
inside the tool block, after the calculator. Clause links are made and recorded as the
calculator's are (handbook/calculator_form.py), so the build checks each citation and a
click opens the clause beside the table (clause-peek.js)."""

from calc.parameters import policy
from calc.registry import get
from handbook import clauses, decisions, templates


def render(name: str, page_url: str, page_src: str, doc_urls: dict[str, str],
           register: clauses.CitationRegister) -> str:
    def refs(cell) -> list[dict]:
        out = []
        for clause in cell.clauses:
            register.cite(page_src, clause)
            out.append({"label": clauses.label(clause), "href": clauses.href(clause, page_url, doc_urls)})
        return out

    shown = []
    for table in decisions.tables(name, policy()):
        heads = ["序号"] + table.inputs + table.outputs
        shown.append({
            "id": f"decision-{name}-{table.key}", "key": table.key, "caption": table.caption,
            "hit": table.hit, "hit_policy": table.hit_policy, "inputs": table.inputs, "outputs": table.outputs,
            "rows": [[{"text": c.text, "refs": refs(c), "label": heads[k + 1],
                       "output": k >= len(table.inputs)} for k, c in enumerate(row.cells)] for row in table.rows],
            "notes": [{"text": n.text, "refs": refs(n)} for n in table.notes]})
    return templates.render("decision-tables.html", name=name, title=get(name).TITLE, tables=shown)


def for_page(name: str, page, state) -> str:
    """The tables on the page being built (`state`: handbook.build.BuildState)."""
    return render(name, page.url, page.file.src_uri, state.doc_urls, state.citations)
