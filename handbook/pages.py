"""Text that the chapters take from data: parameter values, clause items from the
parameter file, and the document-control block."""


from html import escape

from calc.parameters import condition_text, policy, quantity
from handbook import clauses, templates



def lookup(path: str):
    node = policy()
    for key in path.split("."):
        try:
            node = node[key]
        except (KeyError, TypeError, IndexError):
            raise ValueError(f"calc/policy.toml 中没有参数 {path}（找不到 {key}）") from None
    return node


def param_text(path: str) -> str:
    return quantity(lookup(path))


def _article_of(clause: str) -> tuple[str, str]:
    m = clauses.parse(clause)
    return m["doc"], m["article"]


def clause_items(path: str) -> str:
    """Each condition as a paragraph '（一）text。' with its clause anchor (attr_list)."""
    lines = []
    section = path.split(".")[0]
    conds = lookup(path)
    # A list may hold an entry stated in another article (the customer-group check of XY-05
    # 第十一条（二） sits with 第十二条's rules because the calculator runs them together):
    # only the entries of the list's own article are printed here.
    article = _article_of(conds[0]["clause"])
    for cond in conds:
        if _article_of(cond["clause"]) != article:
            continue
        n = int(clauses.parse(cond["clause"])["item"])
        text = condition_text(section, cond)
        mark = cond.get("item_mark") or clauses.chinese_number(n)
        lines.append(f"（{mark}）{text}。\n{{: #{cond['clause']} }}\n")
    return "\n".join(lines)


# How a document names itself in its own text, by the end of its title; a title that ends
# otherwise (KH-01 …部门职责) sets `called:` in its front matter.
_SELF_NAMES = (("方针与目标", "本方针与目标"), ("规则", "本规则"), ("规定", "本规定"),
               ("流程", "本流程"), ("办法", "本办法"), ("制度", "本制度"))


def self_name(doc) -> str:
    """'本办法', '本制度'…: what the document calls itself."""
    if doc.meta.get("called"):
        return doc.meta["called"]
    for suffix, word in _SELF_NAMES:
        if doc.title.endswith(suffix):
            return word
    raise ValueError(f"{doc.number}：无法由标题“{doc.title}”确定文件的自称，请在前置信息中写 called")


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def bounds_clause(doc) -> str:
    """The one reading of bounds, stated in every document's 附则 with the same words."""
    return (f"{self_name(doc)}所称“以上”“以下”“以内”“不超过”，包括本数；"
            f"所称“超过”“不满”“低于”，不包括本数。")


def enactment(doc) -> str:
    """The one 施行 formula: approver and effective date from the control fields."""
    from handbook import roster

    return (f"{self_name(doc)}经{roster.name(doc.meta['approver'])}批准，"
            f"自{chinese_date(doc.effective)}起施行。")


def doc_control(doc, root: str, has_log: bool = False) -> str:
    """The control strip and, folded under it, the rest of the block of a controlled paper
    copy; `has_log`: the page ends with its 版本更新记录."""
    from calc.parameters import today
    from handbook import roster

    names = lambda ids: "、".join(roster.name(i) for i in ids)  # noqa: E731
    return templates.render("doc-control.html",
        doc=doc, owner=roster.name(doc.meta["owner"]), approver=roster.name(doc.meta["approver"]),
        executing=names(doc.meta["executing"]), supervising=names(doc.meta["supervising"]),
        appendix_href=f"{root}reference/sources/#clause-sources", has_log=has_log,
        review_overdue=doc.next_review < today())


_APPLICABILITY_WORDS = {"check": "检查", "n/a": "不适用", "check_if_limit": "已核定额度的检查",
                        "zero_limit": "检查（额度为零，赊销部分一律冻结）", "group_member": "客户组成员检查"}


def rule_applicability() -> str:
    """XY-05 第十三条（二）: which check rule applies to which risk category, generated from
    the parameters that drive the order credit check, so text and calculator agree."""
    from calc import credit_check

    rules = policy()["credit_check"]["rules"]
    head = ["风险类别"] + [f"{r['label']}（{clauses.label(r['clause']).split(' ', 1)[1]}）" for r in rules]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    for row in credit_check.applicability():
        lines.append("| " + " | ".join([row["category"]] + [_APPLICABILITY_WORDS[row["cells"][r["id"]]]
                                                               for r in rules]) + " |")
    return "\n".join(lines) + "\n"


def price_margin(path: str) -> str:
    """KH-02 第十三条 states margins, the calculator compares factors: one parameter, the
    margin worked out by the calculator's own function (0.95 -> '5%')."""
    from calc import tier_terms

    return tier_terms.margin(lookup(path)["value"])


def calculator_index(link, form) -> str:
    """计算器一览: one section per calculator in the registry, with the articles it applies
    (from its own clause list), so adding a calculator needs no edit here. `link(clause)`
    gives a clause link, `form(name)` the calculator."""
    from calc.registry import listing

    out = []
    for entry in listing():
        numbers = sorted({int(m["article"]) for m in map(clauses.parse, entry["clauses"])
                          if m["doc"] == entry["document"]})
        articles = [f"{entry['document']}-{n}" for n in numbers]
        # The calculator's name as its anchor (#credit-check), readable in a shared address.
        out.append(f"## {entry['title']} {{ #{entry['name']} }}\n\n依据" + "、".join(link(a) for a in articles)
                   + "。\n\n" + form(entry["name"]) + "\n")
    return "\n".join(out)


def calculator_list() -> str:
    """计算器一览's first lines: every calculator of the page, linked to its section."""
    from calc.registry import listing

    items = "".join(f'<li><a href="#{e["name"]}">{escape(e["title"])}</a>（{e["document"]}）</li>' for e in listing())
    return f'<nav class="calc-list" aria-label="本页的计算器"><p>本页的计算器：</p><ul>{items}</ul></nav>\n'

