"""Glossary terms as hover tooltips: the first use of each term on a page becomes
<abbr title="definition">, which Material shows as a tooltip (content.tooltips).

Python-Markdown's abbr extension cannot do this for Chinese: it matches terms at word
boundaries, and there are none between Chinese characters."""

import re
from html import escape

# Text inside these elements keeps its own meaning (links, code, headings, form labels).
_SKIP = {"a", "abbr", "code", "pre", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6",
         "button", "label", "legend", "th", "caption", "textarea", "option", "summary"}
_TOKEN = re.compile(r"(<[^>]+>)")
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source"}


def add_tooltips(html: str, terms: dict[str, str]) -> str:
    if not terms:
        return html
    remaining = dict(terms)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    out, skip = [], 0
    for token in _TOKEN.split(html):
        if token.startswith("<"):
            m = _TAG.match(token)
            if m and m.group(2).lower() in _SKIP and m.group(2).lower() not in _VOID \
                    and not token.endswith("/>"):
                skip += -1 if m.group(1) else 1
            out.append(token)
            continue
        if skip > 0 or not remaining:
            out.append(token)
            continue

        def wrap(match: re.Match) -> str:
            term = match.group(0)
            if term not in remaining:
                return term
            definition = remaining.pop(term)
            return f'<abbr title="{escape(definition)}">{term}</abbr>'

        out.append(pattern.sub(wrap, token))
    return "".join(out)
