"""参数一览 (docs/reference/parameters.md): every parameter of calc/policy.toml with its
value, unit and bound word, the clause it belongs to (linked), its values over time and
the source of each value:
- a dated value (`[[<section>.<key>.values]]`, version and value) was set by the release
  of that version: its effective date, release date and approver, from the record of
  releases;
- the value before the first dated one, or a value never dated, stands in the clause;
  the decisions of the documents' data files ([[decision]], 来源与取舍) that settle that
  clause are linked beside it.
Each clause that has parameters links here (`add_links`, beside its ¶ on its document's
page): the rows of a clause start at the anchor `anchor(clause)`."""

import re
from functools import lru_cache
from html import escape

from calc import parameters
from calc.citation import CLAUSE_RE
from handbook import clauses, roster, rule_parameters
from handbook.tables import cell

SRC = "reference/parameters.md"
URL = "reference/parameters/"
# Bound words read before the number (不超过10%) or after it (1年以上).
BEFORE = ("不超过", "超过", "低于", "不满")


def anchor(clause: str) -> str:
    return f"p-{clause}"


def shown(value, unit: str = "", bound: str | None = None) -> str:
    text = f"{value}{unit}"
    if not bound:
        return text
    return f"{bound}{text}" if bound in BEFORE else f"{text}{bound}"


def _order(clause: str | None) -> tuple:
    m = CLAUSE_RE.match(clause or "")
    if not m:
        return (clause or "", 0, 0)
    return (m["doc"], int(m["article"]), int(m["item"] or 0))


def _node(source: dict, path: str) -> dict:
    node = source
    for key in path.split("."):
        node = node[int(key)] if isinstance(node, list) else node.get(key, {})
    return node if isinstance(node, dict) else {}


@lru_cache(maxsize=1)
def _all() -> tuple:
    source = parameters._source()
    flat = rule_parameters.flat(rule_parameters.resolved(source))
    out = []
    for path, spec in flat.items():
        node = _node(source, path)
        clause = spec.get("clause") or ""
        out.append({"path": path, "clause": clause if CLAUSE_RE.fullmatch(clause) else None,
                    "document": clause[:5], "label": node.get("label") or node.get("description") or path,
                    "value": spec.get("value"), "unit": spec.get("unit", ""), "bound": spec.get("bound"),
                    "base": node.get("value", spec.get("value")), "dated": node.get("values") or [],
                    "ref": node.get("ref")})
    return tuple(sorted(out, key=lambda p: (_order(p["clause"] or p["document"]), p["path"])))


def all_parameters() -> list[dict]:
    """Every parameter, in clause order: path, clause (None for a document-wide one),
    document, label, value, unit, bound, base (the undated value), dated, ref."""
    return list(_all())


def clauses_with_parameters() -> set[str]:
    return {p["clause"] for p in _all() if p["clause"]}


def clear_cache() -> None:
    _all.cache_clear()
    _header.cache_clear()


def decisions(docs: dict) -> list[tuple[int, dict]]:
    """Every [[decision]] with its number on 来源与取舍 (decision-n there: documents in
    the same order, numbered through, as handbook/tables.py source_appendix does)."""
    out, n = [], 0
    for d in docs.values():
        for dec in d.data.get("decision", []):
            n += 1
            out.append((n, dec))
    return out


def _settles(dec: dict, clause: str) -> bool:
    return any(clause == c or clause.startswith(c + "-") for c in dec.get("clauses", []))


@lru_cache(maxsize=None)
def _header(rev) -> dict:
    from handbook import revisions

    try:
        header, _ = revisions.snapshot_text(revisions.REVISIONS_DIR / rev.file)
    except (OSError, ValueError):
        return {}
    return header if isinstance(header, dict) else {}


def _released_values(path: str, revs: list) -> list[tuple]:
    """What the releases recorded of a parameter: (release, value in words, the value
    before it when the release's impact says it changed it, else None)."""
    out = []
    for rev in revs:
        header = _header(rev)
        impact = header.get("impact") if isinstance(header.get("impact"), dict) else {}
        change = next((c for c in impact.get("parameters") or [] if isinstance(c, dict) and c.get("path") == path), None)
        spec = (header.get("parameters") or {}).get(path) if isinstance(header.get("parameters"), dict) else None
        if change:
            out.append((rev, change.get("new"), change.get("old")))
        elif isinstance(spec, dict):
            out.append((rev, shown(spec.get("value"), spec.get("unit", ""), spec.get("bound")), None))
    return out


def history(p: dict, revs: list) -> list[dict]:
    """A parameter's values over time: version, effective date ('' when none), value, and
    the release that set it (None for a value the clause states): from its dated values,
    else from what the releases recorded (the parameters and the impact in their
    snapshots' headers), else the value in force."""
    unit, bound = p["unit"], p["bound"]
    current = shown(p["value"], unit, bound)
    set_by = lambda rev: f"{rev.released} 发布，{roster.name(rev.approver)}批准"  # noqa: E731
    if p["dated"]:
        by_version = {r.version: r for r in revs}
        rows = [{"version": f"第 {p['dated'][0]['version']} 版之前", "effective": "",
                 "value": shown(p["base"], unit, bound), "set_by": None}]
        for entry in p["dated"]:
            rev = by_version.get(entry["version"])
            rows.append({"version": f"第 {entry['version']} 版", "effective": rev.effective if rev else "尚未生效",
                         "value": shown(entry["value"], unit, bound), "set_by": set_by(rev) if rev else "尚未发布"})
        return rows
    rows = []
    for rev, value, before in _released_values(p["path"], revs):
        if not rows and before is not None:
            rows.append({"version": f"第 {rev.version} 版之前", "effective": "", "value": before, "set_by": None})
        if not rows or value != rows[-1]["value"]:
            rows.append({"version": f"第 {rev.version} 版", "effective": rev.effective, "value": value,
                         "set_by": set_by(rev) if rows else None})
    if not rows:
        latest = revs[-1] if revs else None
        return [{"version": f"现行第 {latest.version} 版" if latest else "尚未发布",
                 "effective": latest.effective if latest else "", "value": current, "set_by": None}]
    if rows[-1]["value"] != current:
        rows.append({"version": "待发布的修订", "effective": "尚未生效", "value": current, "set_by": "尚未发布"})
    return rows


def _when(h: dict) -> str:
    return h["version"] + (f"（{h['effective']} 生效）" if h["effective"] and h["effective"][0].isdigit()
                           else f"（{h['effective']}）" if h["effective"] else "")


def register(docs: dict, manifest: dict, linker) -> str:
    """The page's tables, one per document (Markdown; clause links through the linker, so
    the build checks them)."""
    numbered = decisions(docs)
    out, seen = [], set()
    by_doc: dict[str, list] = {}
    for p in _all():
        by_doc.setdefault(p["document"], []).append(p)
    for number in sorted(by_doc, key=lambda n: list(docs).index(n) if n in docs else len(docs)):
        if number not in docs:
            continue
        doc = docs[number]
        out.append(f"## {number} {doc.title} {{ #{number} }}\n")
        rows = []
        for p in by_doc[number]:
            mark = f'<span data-parameter="{p["path"]}"></span>'   # for tests and tools, not shown
            if p["clause"] and p["clause"] not in seen:
                seen.add(p["clause"])
                mark += f'<span id="{anchor(p["clause"])}"></span>'
            where = linker.link(p["clause"]) if p["clause"] else linker.doc(doc)
            values = history(p, manifest.get(number, []))
            over_time = "<br>".join(f"{escape(_when(h))}：{escape(h['value'])}" for h in values)
            sources = [f"{escape(h['version'])}的取值：{escape(h['set_by'])}" for h in values if h["set_by"]]
            sources += [f"[决定{n}　{cell(dec['topic'])}](sources.md#decision-{n})"
                        for n, dec in numbered if p["clause"] and _settles(dec, p["clause"])]
            if p["ref"]:
                sources.insert(0, "取自另一参数（数值只写一次）")
            rows.append([mark + escape(p["label"]), escape(shown(p["value"], p["unit"], p["bound"])), where,
                         over_time, "<br>".join(sources) or ("条款规定" if p["clause"] else "文件规定")])
        out.append("| 参数 | 数值 | 条款 | 历次取值（版本、生效日期） | 来源 |\n| --- | --- | --- | --- | --- |\n"
                   + "\n".join("| " + " | ".join(cell(c) for c in row) + " |" for row in rows) + "\n")
    return "\n".join(out)


_PERMALINK = re.compile(r'(<a class="headerlink" href="#([A-Z]{2}-\d{2}-[\d-]+)"[^>]*>¶</a>)')


def add_links(html: str, root: str, with_parameters: set[str] | None = None) -> str:
    """Beside the ¶ of each clause that has parameters, a small 参数 link to its rows on
    参数一览 (outside the document's text: the page only, never a release)."""
    wanted = clauses_with_parameters() if with_parameters is None else with_parameters

    def add(m: re.Match) -> str:
        if m[2] not in wanted:
            return m[1]
        return (m[1] + f'<a class="clause-params" href="{root}{URL}#{anchor(m[2])}" title="{clauses.label(m[2])}的参数"'
                f' data-search-exclude>参数</a>')
    return _PERMALINK.sub(add, html)
