"""Clause-by-clause comparison of two revisions of a document (the redline).

Standard library only: the site build runs it for each revision against the one before,
and the comparison page runs the very same code in the browser (Pyodide) for any two
revisions the reader picks. The text arrives already cut into words (jieba, at build
time), so Chinese is never marked mid-word.

An article is {"id": anchor, "number": "第四条", "title": ..., "tokens": [...]}.
Articles are matched by their anchors; an article whose anchor changed but whose text is
the same (or nearly) is "renumbered"; one that kept its place in neither order is "moved".
"""

import bisect
import difflib
import json
from html import escape

SIMILAR = 0.6           # a renumbered article keeps at least this share of its text
SAME_PLACE = 0.3        # an article changed in place keeps at least this share
CHAR_FALLBACK = 0.5     # a changed word close to its old form is marked by characters


def _text(article: dict) -> str:
    return "".join(article["tokens"])


def _ratio(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _match(old: list[dict], new: list[dict]) -> list[tuple[int | None, int | None]]:
    """Pairs (old index, new index); None on one side for an added or removed article."""
    pairs: dict[int, int] = {}
    used_new: set[int] = set()
    # 1. Same text: the same article, wherever it now stands and whatever its number.
    by_text: dict[str, list[int]] = {}
    for j, a in enumerate(new):
        by_text.setdefault(_text(a), []).append(j)
    for i, a in enumerate(old):
        for j in by_text.get(_text(a), []):
            if j not in used_new:
                pairs[i] = j
                used_new.add(j)
                break
    # 2. Same anchor and still recognisably the same text: changed in place. (An anchor
    # reused for quite different text is an article removed and another one added.)
    new_by_id = {a["id"]: j for j, a in enumerate(new)}
    for i, a in enumerate(old):
        j = new_by_id.get(a["id"])
        if i not in pairs and j is not None and j not in used_new \
                and _ratio(a["tokens"], new[j]["tokens"]) >= SAME_PLACE:
            pairs[i] = j
            used_new.add(j)
    # 3. Left over on both sides: a renumbered article that was also edited.
    rest_old = [i for i in range(len(old)) if i not in pairs]
    rest_new = [j for j in range(len(new)) if j not in used_new]
    for i in rest_old:
        best, score = None, SIMILAR
        for j in rest_new:
            if j in used_new:
                continue
            r = _ratio(old[i]["tokens"], new[j]["tokens"])
            if r >= score:
                best, score = j, r
        if best is not None:
            pairs[i] = best
            used_new.add(best)
    out = [(i, pairs.get(i)) for i in range(len(old))]
    out += [(None, j) for j in range(len(new)) if j not in used_new]
    return out


def _in_order(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pairs on the longest run kept in the same order in both revisions; the others moved."""
    seq = sorted(pairs, key=lambda p: p[1])
    olds = [p[0] for p in seq]
    # longest increasing subsequence of old positions, in new order (patience, O(n log n))
    tails, tails_idx, prev = [], [], [-1] * len(olds)
    for k, v in enumerate(olds):
        pos = bisect.bisect_left(tails, v)
        if pos == len(tails):
            tails.append(v)
            tails_idx.append(k)
        else:
            tails[pos] = v
            tails_idx[pos] = k
        prev[k] = tails_idx[pos - 1] if pos else -1
    keep, k = set(), tails_idx[-1] if tails_idx else -1
    while k >= 0:
        keep.add(seq[k])
        k = prev[k]
    return keep


def _chars(a: str, b: str) -> tuple[str, str, str]:
    """Character marks (inline, old, new) for one word replaced by a similar one."""
    inline, old, new = [], [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            inline.append(escape(a[i1:i2]))
            old.append(escape(a[i1:i2]))
            new.append(escape(b[j1:j2]))
            continue
        if i2 > i1:
            inline.append(f"<del>{escape(a[i1:i2])}</del>")
            old.append(f"<del>{escape(a[i1:i2])}</del>")
        if j2 > j1:
            inline.append(f"<ins>{escape(b[j1:j2])}</ins>")
            new.append(f"<ins>{escape(b[j1:j2])}</ins>")
    return "".join(inline), "".join(old), "".join(new)


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def words(old: list[str], new: list[str]) -> dict:
    """Marks by words: {"inline", "old_html", "new_html"} HTML with <del>/<ins>."""
    inline, left, right = [], [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        a, b = "".join(old[i1:i2]), "".join(new[j1:j2])
        if op == "equal":
            inline.append(escape(a))
            left.append(escape(a))
            right.append(escape(b))
        elif op == "replace" and i2 - i1 == 1 and j2 - j1 == 1 and len(a) > 1 and len(b) > 1 \
                and not _has_digit(a + b) and difflib.SequenceMatcher(None, a, b).ratio() >= CHAR_FALLBACK:
            # One word for one similar word: mark the characters that changed. (A number is
            # always marked whole: 60 -> 90, never 6 -> 9.)
            x, y, z = _chars(a, b)
            inline.append(x)
            left.append(y)
            right.append(z)
        else:
            if a:
                inline.append(f"<del>{escape(a)}</del>")
                left.append(f"<del>{escape(a)}</del>")
            if b:
                inline.append(f"<ins>{escape(b)}</ins>")
                right.append(f"<ins>{escape(b)}</ins>")
    return {"inline": "".join(inline), "old_html": "".join(left), "new_html": "".join(right)}


# --- text by lines, tables by rows (articles.plain writes a table row as tab-separated
# cells on one line) -------------------------------------------------------------------
LINE, CELL = "\n", "\t"


def _split(tokens: list[str], sep: str) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for tok in tokens:
        if tok == sep:
            out.append([])
        else:
            out[-1].append(tok)
    return out


def _is_row(line: list[str]) -> bool:
    return CELL in line


def _plain(line: list[str], tag: str | None = None) -> tuple:
    """A line unchanged (tag None) or wholly removed/added (tag del/ins)."""
    wrap = (lambda s: f"<{tag}>{s}</{tag}>" if tag and s else s)
    if _is_row(line):
        return ("row", [wrap(escape("".join(c))) for c in _split(line, CELL)], {"del": "removed", "ins": "added"}.get(tag, ""))
    return ("text", wrap(escape("".join(line))), "")


def _pair(a: list[str], b: list[str]) -> tuple[tuple, tuple, tuple] | None:
    """A changed line marked word by word (a row cell by cell); None when they cannot pair."""
    if _is_row(a) != _is_row(b):
        return None
    if not _is_row(a):
        m = words(a, b)
        return ("text", m["inline"], ""), ("text", m["old_html"], ""), ("text", m["new_html"], "")
    ca, cb = _split(a, CELL), _split(b, CELL)
    if len(ca) != len(cb):
        return None
    ms = [words(x, y) for x, y in zip(ca, cb)]
    return tuple(("row", [m[k] for m in ms], "changed") for k in ("inline", "old_html", "new_html"))


def _assemble(lines: list[tuple]) -> str:
    """Lines back into HTML: plain text as before (newlines kept, shown by pre-line); once a
    table is in it, paragraphs and one table per run of rows."""
    if not any(kind == "row" for kind, _, _ in lines):
        return LINE.join(html for _, html, _ in lines)
    out, rows = [], []
    for kind, html, cls in lines + [("end", "", "")]:
        if kind == "row":
            attr = f' class="redline__row--{cls}"' if cls else ""
            rows.append(f"<tr{attr}>" + "".join(f"<td>{c}</td>" for c in html) + "</tr>")
            continue
        if rows:
            out.append('<table data-rows><tbody>' + "".join(rows) + "</tbody></table>")
            rows = []
        if kind == "text":
            out.append(f"<p>{html}</p>")
    return "".join(out)


def marks(old: list[str], new: list[str]) -> dict:
    """Marks for a changed article: by words within one paragraph, else line by line, with
    tables compared row by row and cell by cell."""
    if LINE not in old and LINE not in new and CELL not in old and CELL not in new:
        return words(old, new)
    a, b = _split(old, LINE), _split(new, LINE)
    inline, left, right = [], [], []
    sm = difflib.SequenceMatcher(None, [CELL.join(x) for x in a], [CELL.join(x) for x in b], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for x, y in zip(a[i1:i2], b[j1:j2]):
                inline.append(_plain(y))
                left.append(_plain(x))
                right.append(_plain(y))
            continue
        xs, ys = a[i1:i2], b[j1:j2]
        for k in range(max(len(xs), len(ys))):
            x = xs[k] if k < len(xs) else None
            y = ys[k] if k < len(ys) else None
            paired = _pair(x, y) if x is not None and y is not None else None
            if paired:
                inline.append(paired[0])
                left.append(paired[1])
                right.append(paired[2])
                continue
            if x is not None:
                inline.append(_plain(x, "del"))
                left.append(_plain(x, "del"))
            if y is not None:
                inline.append(_plain(y, "ins"))
                right.append(_plain(y, "ins"))
    return {"inline": _assemble(inline), "old_html": _assemble(left), "new_html": _assemble(right)}


def _whole(tokens: list[str], tag: str | None = None) -> str:
    return _assemble([_plain(line, tag) for line in _split(tokens, LINE)])


def compare(old: list[dict], new: list[dict]) -> dict:
    """The redline: a summary and one entry per article, in the new revision's order
    (removed articles where they stood)."""
    pairs = _match(old, new)
    kept = _in_order([(i, j) for i, j in pairs if i is not None and j is not None])
    entries = []
    for i, j in pairs:
        a = old[i] if i is not None else None
        b = new[j] if j is not None else None
        if a is None:
            status = ["added"]
            marks = {"inline": _whole(b["tokens"], "ins"), "old_html": "", "new_html": _whole(b["tokens"], "ins")}
        elif b is None:
            status = ["removed"]
            marks = {"inline": _whole(a["tokens"], "del"), "old_html": _whole(a["tokens"], "del"), "new_html": ""}
        else:
            status = []
            if a["id"] != b["id"]:
                status.append("renumbered")
            if (i, j) not in kept:
                status.append("moved")
            same = a["tokens"] == b["tokens"] and a.get("title") == b.get("title")
            if not same:
                status.append("changed")
            marks = marks_of(a["tokens"], b["tokens"]) if not same else \
                {"inline": _whole(b["tokens"]), "old_html": _whole(a["tokens"]), "new_html": _whole(b["tokens"])}
            status = status or ["unchanged"]
        entries.append({
            "old": {k: a[k] for k in ("id", "number", "title")} if a else None,
            "new": {k: b[k] for k in ("id", "number", "title")} if b else None,
            "status": status, **marks,
            "sort": (j if j is not None else (i - 0.5 if i is not None else 0)),
        })
    # Removed articles sit just before the article that followed them in the old revision.
    for e in entries:
        if e["new"] is None:
            i = next(k for k, a in enumerate(old) if a["id"] == e["old"]["id"])
            after = next((j for (oi, j) in pairs if oi is not None and oi > i and j is not None), len(new))
            e["sort"] = after - 0.5
    entries.sort(key=lambda e: e["sort"])
    for e in entries:
        del e["sort"]
    summary = {k: sum(1 for e in entries if k in e["status"])
               for k in ("added", "removed", "changed", "renumbered", "moved", "unchanged")}
    return {"summary": summary, "articles": entries}


SUMMARY_WORDS = (("added", "新增"), ("removed", "删除"), ("changed", "修改"), ("renumbered", "重新编号"),
                 ("moved", "移动"), ("unchanged", "未变"))
STATUS_WORDS = dict(SUMMARY_WORDS)


def summary_line(summary: dict) -> str:
    return "，".join(f"{word} {summary[key]} 条" for key, word in SUMMARY_WORDS if summary[key] or key == "changed")


marks_of = marks  # (compare() has a local named marks)


def _block(html: str) -> str:
    """A paragraph, or a block of paragraphs and tables (a <table> cannot sit in a <p>)."""
    return f'<div class="redline__text">{html}</div>' if "<table" in html else f"<p>{html}</p>"


def render(result: dict, old_label: str, new_label: str) -> str:
    """Both views as one HTML block: inline (tracked changes) and side by side (对照表)."""
    inline, rows = [], []
    for e in result["articles"]:
        head = e["new"] or e["old"]
        label = f"{head['number']}　{head['title']}"
        if e["old"] and e["new"] and e["old"]["number"] != e["new"]["number"]:
            label = f"{e['new']['number']}（原{e['old']['number']}）　{e['new']['title']}"
        tags = "".join(f'<span class="redline__tag redline__tag--{s}">{STATUS_WORDS[s]}</span>' for s in e["status"])
        status = " ".join(e["status"])
        inline.append(f'<section class="redline__article" data-status="{status}" data-article="{escape(head["id"])}">'
                      f'<h4>{escape(label)} {tags}</h4>{_block(e["inline"])}</section>')
        cells = []
        for side, marks in (("old", e["old"]), ("new", e["new"])):
            title = f"<b>{escape(marks['number'])}　{escape(marks['title'])}</b><br>" if marks else ""
            cells.append(f"<td>{title}{e[side + '_html']}</td>")
        rows.append(f'<tr data-status="{status}">{"".join(cells)}<td>{tags}</td></tr>')
    return (f'<div class="redline" data-added="{result["summary"]["added"]}" data-removed="{result["summary"]["removed"]}" '
            f'data-changed="{result["summary"]["changed"]}">'
            f'<p class="redline__summary">{escape(old_label)} → {escape(new_label)}：{summary_line(result["summary"])}</p>'
            f'<details class="redline__view redline__view--inline" open><summary>逐条标注（修订模式）</summary>'
            f'{"".join(inline)}</details>'
            f'<details class="redline__view redline__view--side" open><summary>对照表</summary>'
            f'<div class="redline__table"><table><thead><tr><th>{escape(old_label)}</th><th>{escape(new_label)}</th>'
            f'<th>变化</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div></details></div>')


def compare_json(old_json: str, new_json: str, old_label: str, new_label: str) -> str:
    """For the page: two revisions' articles as JSON in, the redline HTML out."""
    result = compare(json.loads(old_json), json.loads(new_json))
    return json.dumps({"summary": result["summary"], "html": render(result, old_label, new_label)},
                      ensure_ascii=False)
