"""Tables the pages take from data (never hand-typed): who does what, process steps and
their lane diagram, forms, the document register, the role index, the glossary and the
source appendix. Each returns Markdown, so MkDocs checks every clause link in it."""

import datetime as dt
import posixpath
from dataclasses import dataclass
from html import escape

from handbook import clauses, revision_pages, roster
from handbook.documents import Document, form_roles


@dataclass
class Linker:
    """Links from one page to clauses, each recorded for the dangling-citation check."""
    from_src: str
    doc_srcs: dict[str, str]
    register: clauses.CitationRegister

    def link(self, clause: str) -> str:
        self.register.cite(self.from_src, clause)
        return clauses.markdown_link(clause, self.from_src, self.doc_srcs)

    def doc(self, doc: Document) -> str:
        target = self.doc_srcs[doc.number]
        rel = "" if target == self.from_src else posixpath.relpath(target, posixpath.dirname(self.from_src) or ".")
        return f"[{doc.number} {doc.title}]({rel})"


def cell(text) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def table(head: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def duties(doc: Document, linker: Linker) -> str:
    rows = [[roster.name(d["role"]), d["text"], linker.link(d["clause"])] for d in doc.data.get("duty", [])]
    return table(["部门 / 岗位", "职责", "条款"], rows)


def _forms_by_id(docs: dict[str, Document]) -> dict[str, dict]:
    return {f["id"]: {**f, "doc": n} for n, d in docs.items() for f in d.data.get("form", [])}


def process(doc: Document, process_id: str, docs: dict[str, Document], linker: Linker) -> str:
    proc = next((p for p in doc.data.get("process", []) if p["id"] == process_id), None)
    if proc is None:
        raise KeyError(f"{doc.number} 的数据文件中没有流程 {process_id}")
    forms = _forms_by_id(docs)
    steps = proc["step"]
    rows = []
    for i, s in enumerate(steps, 1):
        form = forms[s["form"]]["name"] if s.get("form") else ""
        rows.append([i, s["text"] + (f"（{linker.link(s['clause'])}）" if s.get("clause") else ""),
                     roster.name(s["performer"]), roster.name(s["approver"]) if s.get("approver") else "",
                     f"《{form}》" if form else "", s.get("output", "")])
    return (lanes(proc, forms) + "\n\n"
            + table(["步骤", "内容", "执行", "审批", "表单", "输出"], rows))


def lanes(proc: dict, forms: dict) -> str:
    """The swimlane drawn by the site itself: one column per role, one row per step."""
    roles = []
    for s in proc["step"]:
        for r in (s["performer"], s.get("approver")):
            if r and r not in roles:
                roles.append(r)
    head = "".join(f"<th scope=\"col\">{escape(roster.name(r))}</th>" for r in roles)
    body = []
    for i, s in enumerate(proc["step"], 1):
        cells = []
        for r in roles:
            if r == s["performer"]:
                form = f"<span class=\"lane__form\">《{escape(forms[s['form']]['name'])}》</span>" if s.get("form") else ""
                cells.append(f"<td><div class=\"lane__step\"><b>{i}</b> {escape(s['text'])}{form}</div></td>")
            elif r == s.get("approver"):
                cells.append(f"<td><div class=\"lane__step lane__step--approve\"><b>{i}</b> 审批</div></td>")
            else:
                cells.append("<td></td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<div class=\"lanes\" role=\"figure\" tabindex=\"0\" aria-label=\"{escape(proc['title'])}泳道图\">"
            f"<table><caption>{escape(proc['title'])}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _names(form: dict, key: str) -> str:
    return "、".join(roster.name(r) for r in form_roles(form, key))


def forms(doc: Document, linker: Linker, name=None) -> str:
    """The document's form table (released text); `name` writes each form's name (the site
    links it to the form's page, the release keeps it plain)."""
    name = name or (lambda f: f"《{f['name']}》")
    rows = [[name(f), f["purpose"], _names(f, "filled_by"), _names(f, "kept_by"),
             linker.link(f["clause"])] for f in doc.data.get("form", [])]
    return table(["表单", "用途", "填写", "保管", "条款"], rows)


# The parts in the navigation's order (mkdocs.yml: 信用管理, 客户管理, 客户服务).
PART_ORDER = ("XY", "KH", "FW")


def nav_order(doc: Document) -> tuple:
    part = doc.number.split("-")[0]
    return (PART_ORDER.index(part) if part in PART_ORDER else len(PART_ORDER), doc.number)


def document_register(docs: dict[str, Document], linker: Linker, today: dt.date) -> str:
    rows = []
    for d in sorted(docs.values(), key=nav_order):
        due = d.next_review
        flag = f"**{due.isoformat()} 已逾期**" if due < today else due.isoformat()
        rows.append([d.number, linker.doc(d), d.version, d.effective.isoformat(),
                     revision_pages.latest_state(d.number), roster.name(d.meta["owner"]), flag])
    # 状态: that version's state on the day the page is read (revisions.js; build day without scripts).
    return table(["编号", "名称", "版本", "生效日期", "状态", "归口部门", "下次复审"], rows)


def role_index(docs: dict[str, Document], linker: Linker) -> str:
    """For each unit and position: its reading path (the documents that give it work, in
    register order) and everything it must do across all documents."""
    work: dict[str, list[str]] = {}
    reading: dict[str, dict[str, Document]] = {}

    def add(role, doc, text):
        work.setdefault(role, []).append(text)
        reading.setdefault(role, {})[doc.number] = doc

    for d in docs.values():
        for key, word in (("owner", "归口管理"), ("approver", "批准")):
            add(d.meta[key], d, f"{word} {linker.doc(d)}")
        for key, word in (("executing", "执行"), ("supervising", "监督")):
            for r in d.meta[key]:
                add(r, d, f"{word} {linker.doc(d)}")
        for duty in d.data.get("duty", []):
            add(duty["role"], d, f"{duty['text']}（{linker.link(duty['clause'])}）")
        for p in d.data.get("process", []):
            for i, s in enumerate(p["step"], 1):
                ref = linker.link(s.get("clause") or p["clause"])
                add(s["performer"], d, f"{p['title']}第{i}步：{s['text']}（{ref}）")
                if s.get("approver"):
                    add(s["approver"], d, f"{p['title']}第{i}步：审批“{s['text']}”（{ref}）")
        for f in d.data.get("form", []):
            for r in form_roles(f, "filled_by"):
                add(r, d, f"填写《{f['name']}》（{linker.link(f['clause'])}）")
            for r in form_roles(f, "kept_by"):
                add(r, d, f"保管《{f['name']}》（{linker.link(f['clause'])}）")
    out = []
    entries = roster.entries()
    for unit in (e for e in entries.values() if e["kind_of"] == "unit"):
        members = [unit["id"]] + [e["id"] for e in entries.values()
                                  if e["kind_of"] == "position" and e["unit"] == unit["id"]]
        if not any(work.get(m) for m in members):
            continue
        out.append(f"## {unit['name']} {{ #role-{unit['id']} }}\n")
        for m in members:
            if not work.get(m):
                continue
            if m != unit["id"]:
                out.append(f"### {entries[m]['name']} {{ #role-{m} }}\n")
            path = " → ".join(linker.doc(d) for d in sorted(reading[m].values(), key=lambda d: d.number))
            out.append(f"**阅读路径**：{path}\n")
            out += [f"- {line}" for line in work[m]]
            out.append("")
    return "\n".join(out)


def glossary(docs: dict[str, Document], linker: Linker) -> str:
    terms = sorted(((t["term"], t["definition"], t["clause"]) for d in docs.values()
                    for t in d.data.get("term", [])), key=lambda t: t[0])
    return table(["术语", "释义", "条款"], [[f"**{t}**", d, linker.link(c)] for t, d, c in terms])


OWN = "本手册"  # an article the handbook adds (no source says it)


def _source_name(source_id: str, sources: dict) -> str:
    return "本手册新增" if source_id == OWN else f"{source_id} {sources[source_id]['title']}"


def source_appendix(docs: dict[str, Document], sources: dict, linker: Linker) -> str:
    out = ["## 来源清单 { #sources }\n"]
    covered = {s: [d for d in docs.values() if s in d.meta["sources"]] for s in sources}
    out.append(table(["编号", "来源", "原文行", "内容", "收入"],
                     [[sid, s["title"], s["lines"], s["gist"], "、".join(linker.doc(d) for d in covered[sid]) or "**未收入**"]
                      for sid, s in sources.items()]))
    out.append("## 条款来源 { #clause-sources }\n")
    for d in docs.values():
        rows = [[linker.link(s["clause"]), _source_name(s["from"], sources), s.get("where", ""),
                 s.get("note", "")] for s in d.data.get("source", [])]
        if rows:
            out.append(f"### {d.number} {d.title}\n")
            out.append(table(["条款", "来源", "位置", "说明"], rows))
    out.append("## 取舍 { #decisions }\n")
    n = 0
    for d in docs.values():
        for dec in d.data.get("decision", []):
            n += 1
            refs = "、".join(linker.link(c) for c in dec["clauses"])
            out.append(f"### 决定{n}　{dec['topic']} {{ #decision-{n} }}\n")
            out.append(f"- **来源怎么说**：{dec['sources_said']}\n- **本手册的决定**：{dec['decision']}\n"
                       f"- **理由**：{dec['why']}\n- **见**：{refs}\n")
    return "\n".join(out)

