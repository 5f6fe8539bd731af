"""Text that the chapters take from data: parameter values, clause items from the
parameter file, and the document-control block."""


from calc.parameters import condition_text, policy, quantity
from handbook import clauses, templates



def lookup(path: str):
    node = policy()
    for key in path.split("."):
        node = node[key]
    return node


def param_text(path: str) -> str:
    return quantity(lookup(path))


def clause_items(path: str) -> str:
    """Each condition as a paragraph '（一）text。' with its clause anchor (attr_list)."""
    lines = []
    section = path.split(".")[0]
    for cond in lookup(path):
        n = int(clauses.parse(cond["clause"])["item"])
        text = condition_text(section, cond)
        mark = cond.get("label") or clauses.chinese_number(n)
        lines.append(f"（{mark}）{text}。\n{{: #{cond['clause']} }}\n")
    return "\n".join(lines)


def doc_control(doc, root: str) -> str:
    """The control block, as on a controlled paper copy."""
    from handbook import roster

    names = lambda ids: "、".join(roster.name(i) for i in ids)  # noqa: E731
    return templates.render("doc-control.html",
        doc=doc, owner=roster.name(doc.meta["owner"]), approver=roster.name(doc.meta["approver"]),
        executing=names(doc.meta["executing"]), supervising=names(doc.meta["supervising"]),
        appendix_href=f"{root}reference/sources/#clause-sources")
