"""Text that the chapters take from data: parameter values, clause items from the
parameter file, and the document-control block."""

from pathlib import Path

import jinja2

from calc.parameters import condition_text, policy, quantity
from handbook import clauses

_TEMPLATES = Path(__file__).resolve().parent.parent / "overrides" / "partials"
_env = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True,
                          trim_blocks=True, lstrip_blocks=True)


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
        lines.append(f"（{clauses.chinese_number(n)}）{text}。\n{{: #{cond['clause']} }}\n")
    return "\n".join(lines)


CONTROL_FIELDS = ("doc_no", "effective", "owner", "approver", "executing", "supervising",
                  "review_cycle", "sources")


def doc_control(meta: dict) -> str:
    missing = [f for f in CONTROL_FIELDS if not meta.get(f)]
    if missing:
        raise ValueError(f"受控文件缺少控制字段：{', '.join(missing)}")
    register = policy()["documents"][meta["doc_no"]]
    return _env.get_template("doc-control.html").render(meta=meta, doc=register)
