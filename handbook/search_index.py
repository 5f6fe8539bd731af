"""The site's search index (Material's search plugin: lunr, with jieba cutting the
Chinese), shaped so that the article holding a rule is what a search finds first. The
query side and the ranking are in docs/assets/javascripts/search-query.js.

- `search_view`: the page as the indexer reads it. Blocks marked `data-search-exclude`
  are left out whole (Material's own parser stops excluding at the first nested closing
  tag of the same name, so a calculator's form leaked into its article), and so are the
  swimlanes (their steps are in the step table below them) and the ¶ links; a table row
  is one line of a snippet, and a header row no words to find.
- `refine`: the index as the plugin wrote it. A document's own entry (only its title now)
  is boosted down below its articles; a chapter heading without text goes, its words
  going to its articles; "A级", "B类" are one word as staff type them; and each section
  gets a `context` of words that find it besides its text: staff's words for the
  handbook's terms (data/search.toml), the parts of compound words (订单 in 冻结订单), its
  chapter heading, the glossary's terms it defines (also listed in `defines` for the
  ranking). The question words to leave out of a query and the staff's words go to the
  query side in the index's configuration.
"""

import json
import re
import tomllib
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "search.toml"

# Below an article: a document's own entry holds only its title (which page it is). Pages
# about the documents (glossary, forms…) are boosted down by their front matter.
DOCUMENT_ENTRY_BOOST = 0.2
# Words that find a section besides its own text (staff's synonyms, the parts of compound
# words, its chapter's heading); declared as a field of the index in mkdocs.yml.
CONTEXT_FIELD = "context"
# The glossary's terms an article defines: not a field of the index, read by the ranking
# of search-query.js (an article that defines the word comes before one that uses it).
DEFINES = "defines"

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "param", "source", "track", "wbr"}
_ARTICLE = re.compile(r"[A-Z]{2}-\d{2}-\d+")
_CELL_GAP = "\u3000"  # one of the index's separators: cells stay apart, no stray token


class _SearchView(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[str] = []
        self.skip_at: int | None = None   # depth of the element being left out
        self.cells = 0                    # cells begun in the current table row
        self.gap = False                  # a cell begun: the gap before its first word

    @staticmethod
    def _left_out(tag: str, attrs: dict) -> bool:
        classes = (attrs.get("class") or "").split()
        return ("data-search-exclude" in attrs
                or (tag == "div" and "lanes" in classes)
                or (tag == "a" and "headerlink" in classes)
                or tag == "thead")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _VOID:
            if self.skip_at is None:
                self.out.append(self.get_starttag_text())
            return
        self.stack.append(tag)
        if self.skip_at is not None:
            return
        if self._left_out(tag, attrs):
            self.skip_at = len(self.stack)
        elif tag == "tr":
            self.out.append("<p>")
            self.cells, self.gap = 0, False
        elif tag in ("td", "th"):
            self.gap = self.cells > 0
            self.cells += 1
        elif tag not in ("table", "tbody", "tfoot", "caption", "colgroup"):
            self._write(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        if self.skip_at is None and not self._left_out(tag, dict(attrs)):
            self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:               # close what the markup left open, as browsers do
            depth, top = len(self.stack), self.stack.pop()
            if self.skip_at is not None:
                if depth == self.skip_at:
                    self.skip_at = None
            elif top == "tr":
                self.out.append("</p>")
                self.gap = False
            elif top == "caption":
                self.out.append(_CELL_GAP)
            elif top not in ("table", "tbody", "tfoot", "td", "th", "colgroup"):
                self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data):
        if self.skip_at is None:
            self._write(data) if data.strip() else self.out.append(data)

    def _write(self, markup: str):
        if self.gap:                     # empty cells leave no gaps behind
            self.out.append(_CELL_GAP)
            self.gap = False
        self.out.append(markup)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def indexed(meta: dict) -> bool:
    """Whether the search plugin indexes a page with this front matter."""
    return not (meta.get("search") or {}).get("exclude")


def search_view(html: str) -> str:
    """The page's HTML as the search index should read it (never shown to readers)."""
    parser = _SearchView()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


_MARK = re.compile(r"\s?data-search-\w+(=\"[^\"]*\")?")


def without_marks(html: str) -> str:
    """The page as readers get it: the index's pragmas removed, as Material does."""
    return _MARK.sub("", html)


def load_data(path: Path = DATA) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


# "A级", "B类", "X3类": the plugin segments only the Chinese, so "A\u200b级" were two words
# and a query for A级 found every "A" and every 级.
_GRADE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]\d?)\u200b([级类])")
# "（一）A类", "（SLA）": full-width brackets stuck to Latin letters or digits made words of
# their own ("）a类").
_STUCK = re.compile(r"(?<=[（）《》“”‘’【】：])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])(?=[（）《》“”‘’【】：])")
_SEPARATOR = re.compile(r"[\s\u200b\u3000\-、。，．？！；]+")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _plain(value: str) -> str:
    return re.sub(r"<[^>]+>", " ", value).replace("\u200b", "")


def _words(value: str) -> list[str]:
    return [w for w in _SEPARATOR.split(re.sub(r"<[^>]+>", " ", value)) if w]


def _parts(words: list[str], vocabulary: set[str]) -> list[str]:
    """The words inside a compound the index keeps whole: 订单 in 冻结订单, 客户 in
    客户意见调查表 (a query for the shorter word finds the compound too). Only words the
    index uses elsewhere: not 场部 from 市场部."""
    return [p for word in words for p in _inside(word) if p in vocabulary]


@lru_cache(maxsize=None)
def _inside(word: str) -> tuple[str, ...]:
    if len(word) < 3 or not _HAN.search(word):
        return ()
    from handbook.articles import segmenter

    return tuple(p for p in segmenter().cut_for_search(word) if p != word)


def definitions(documents) -> dict[str, list[str]]:
    """The glossary's terms by the article that defines them (XY-03-19: 先款后货)."""
    out: dict[str, list[str]] = {}
    for doc in documents:
        for term in doc.data.get("term", []):
            out.setdefault(_ARTICLE.match(term["clause"])[0], []).append(term["term"])
    return out


def refine(index: dict, document_pages: set[str], defined: dict[str, list[str]] | None = None,
           data: dict | None = None) -> dict:
    """The search index as the plugin wrote it, made to rank and read as staff expect."""
    data = load_data() if data is None else data
    defined = defined or {}
    aliases = data.get("aliases", {})
    vocabulary = {w for entry in index["docs"] for w in _words(entry["title"] + " " + entry["text"])
                  if len(w) >= 2}
    docs, chapter = [], ""
    for entry in index["docs"]:
        page, _, anchor = entry["location"].partition("#")
        for field in ("title", "text"):
            entry[field] = _STUCK.sub("\u200b", _GRADE.sub(r"\1\2", entry[field]))
        plain = _plain(entry["title"] + " " + entry["text"])
        context = []
        if page in document_pages and not _ARTICLE.fullmatch(anchor):
            if anchor and not _plain(entry["text"]).strip():
                chapter = entry["title"]   # a chapter heading: its articles carry its words
                continue
            chapter = ""
            entry["boost"] = round(entry.get("boost", 1) * DOCUMENT_ENTRY_BOOST, 4)
        elif page in document_pages:
            context += _words(chapter)
            if anchor in defined:        # the article the glossary names for a term
                entry[DEFINES] = defined[anchor]
                context += defined[anchor]
        context += [w for term, staff_words in aliases.items() if term in plain
                    for w in staff_words if w not in plain]
        context += _parts(_words(entry["title"] + " " + entry["text"]), vocabulary)
        if context:
            entry[CONTEXT_FIELD] = "\u200b".join(dict.fromkeys(context))
        docs.append(entry)
    config = dict(index["config"])
    # Read by search-query.js from the index the theme hands to its worker.
    config["handbook"] = {"ignore": data.get("ignore", []), "aliases": aliases}
    return {**index, "config": config, "docs": docs}


def refine_file(site_dir: str | Path, document_pages: set[str], documents) -> None:
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.exists():                # search turned off
        return
    index = refine(json.loads(path.read_text(encoding="utf-8")), document_pages, definitions(documents))
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
