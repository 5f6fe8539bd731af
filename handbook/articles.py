"""A document's text as articles, for the redline: each article's anchor, number, title
and its text cut into words by jieba with the handbook's own terms."""

import re
from functools import lru_cache
from pathlib import Path

_ARTICLE = re.compile(r"^### (第[一二三四五六七八九十百]+条)\s*(.*?)\s*\{ #([A-Z]{2}-\d{2}-\d+) \}\s*$", re.M)
_HEADING = re.compile(r"^#{1,3} ", re.M)
_TERMS = Path(__file__).resolve().parent / "search_terms.txt"


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    jieba.load_userdict(str(_TERMS))
    return jieba


def segmenter():
    """jieba with the handbook's terms: the words of the redline and of the site search."""
    return _jieba()


def plain(markdown: str) -> str:
    """The words of an article: no anchors, link targets, HTML or table rules."""
    text = re.sub(r"^\{:[^}]*\}\s*$", "", markdown, flags=re.M)
    # A quotation's ">" is Markdown, not a word (the archive's note on a calculator is one).
    text = re.sub(r"^[ \t]*>[ \t]?", "", text, flags=re.M)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"^\|?\s*:?-{3,}.*$", "", text, flags=re.M)
    text = text.replace("**", "")
    lines = []
    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            # A table row keeps its cells apart (tab-separated), so the redline can compare
            # tables row by row and cell by cell (calc/redline.py).
            cells = [re.sub(r"\s+", " ", c).strip() for c in line.strip().strip("|").split("|")]
            lines.append("\t".join(cells))
        else:
            lines.append(re.sub(r"\s+", " ", line.replace("|", " ")).strip())
    return "\n".join(line for line in lines if line.strip())


def split(markdown: str) -> list[dict]:
    """Articles in document order (text before the first article is not an article)."""
    out = []
    matches = list(_ARTICLE.finditer(markdown))
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(markdown)
        body = markdown[m.end():end]
        nxt = _HEADING.search(body)          # a chapter heading ends the article too
        if nxt:
            body = body[:nxt.start()]
        out.append({"id": m[3], "number": m[1], "title": m[2], "text": plain(body)})
    return out


def tokenised(markdown: str) -> list[dict]:
    jieba = _jieba()
    return [{**a, "tokens": list(jieba.cut(a["text"]))} for a in split(markdown)]
