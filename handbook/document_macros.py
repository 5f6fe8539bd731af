"""The macros a controlled document's text is written with ({{ param(...) }}, {{ clause(...) }},
{{ duties() }}, …), for one page: what they print is the document's text, the same on the
site and in a released snapshot.

The release renders a document with this class as it is (handbook/document_text.py): the
control block and the calculators are not part of the text, so `doc_control()` prints
nothing and a tool block leaves only CALCULATOR_MARK (removed with its line). The site
(handbook/site_macros.py) extends it with the control strip, the calculators and the
reference pages' macros. Everything a macro needs is given to the instance: no global."""

from dataclasses import dataclass, field

from calc.parameters import Rules, policy
from handbook import clauses, pages, roster, tables
from handbook.documents import Document

# What a calculator leaves in a document's text: removed with its line, so the archived text
# has no trace of the tools (adding or changing one changes no snapshot).
CALCULATOR_MARK = "<!-- handbook:calculator -->"

# The macros a document's text may use: registered by name on the site, put into the
# template's globals for a release.
DOCUMENT_MACROS = ("param", "items", "clause", "doc_control", "bounds_clause", "enactment", "duties",
                   "process", "forms", "price_margin", "rule_applicability", "tiering_example", "tool",
                   "calculator")


@dataclass
class Sources:
    """What the macros read besides the parameters: the documents and where their pages are,
    the record of releases, and the register every citation is recorded in."""
    documents: dict[str, Document]
    doc_srcs: dict[str, str]                         # document number -> docs/ path
    manifest: dict = field(default_factory=dict)
    citations: clauses.CitationRegister = field(default_factory=clauses.CitationRegister)


class DocumentMacros:
    """The macros of one page. `printed` collects the parameters the page prints (a release
    compares them with the last release's: handbook/rule_parameters.py)."""

    def __init__(self, sources: Sources, rules: Rules | None = None):
        self.sources = sources
        self.rules = rules if rules is not None else policy()
        self.printed: set[str] = set()

    # The page being rendered: fixed for a release, the current page on the site.
    page_src: str = ""
    page_meta: dict = {}

    def doc(self) -> Document:
        return self.sources.documents[self.page_meta["doc_no"]]

    def linker(self) -> tables.Linker:
        return tables.Linker(self.page_src, self.sources.doc_srcs, self.sources.citations)

    def variables(self) -> dict:
        """The template variables: `policy` (what a page prints through it is recorded),
        `org` (the roster's names)."""
        return {"policy": _Printed(self.rules, (), self.printed), "org": roster.names()}

    # --- the macros ------------------------------------------------------------------

    def param(self, path: str) -> str:
        """A parameter's value with its unit, e.g. param('credit_grade.lookback_years')."""
        self.printed.add(path)
        return pages.param_text(path, self.rules)

    def items(self, path: str) -> str:
        """A list of conditions from the parameter file as numbered clause items."""
        self.printed.update(pages.parameters_in(path, self.rules))
        return pages.clause_items(path, self.rules)

    def clause(self, clause_id: str) -> str:
        return self.linker().link(clause_id)

    def doc_control(self) -> str:
        return ""   # a released snapshot carries its own control fields

    def bounds_clause(self) -> str:
        """附则: how 以上/以下/以内/不超过 and 超过/不满/低于 are read (same words everywhere)."""
        return pages.bounds_clause(self.doc())

    def enactment(self) -> str:
        """附则: '本办法经总经理批准，自2026年12月1日起施行。' from the control fields."""
        return pages.enactment(self.doc())

    def duties(self) -> str:
        return tables.duties(self.doc(), self.linker())

    def process(self, process_id: str) -> str:
        return tables.process(self.doc(), process_id, self.sources.documents, self.linker())

    def forms(self) -> str:
        return tables.forms(self.doc(), self.linker())

    def price_margin(self, path: str) -> str:
        """KH-02 第十三条: a price factor as a margin, e.g. 0.95 -> 5%."""
        self.printed.add(path)
        return pages.price_margin(path, self.rules)

    def rule_applicability(self) -> str:
        """XY-05 第十三条（二）的表：由订单信用检查所读的参数生成。"""
        return pages.rule_applicability(self.rules)

    def tiering_example(self, kind: str) -> str:
        """KH-02's worked examples computed by the tiering calculator: rating | quotas | ties."""
        from handbook import tiering_examples
        return {"rating": tiering_examples.rating, "quotas": tiering_examples.quota_table,
                "ties": tiering_examples.ties}[kind]()

    def calculator(self, name: str) -> str:
        return CALCULATOR_MARK   # the text keeps the rule, not the tool

    def tool(self, name: str, caller=None) -> str:
        """A tool block: `{% call tool("credit-grade") %}what it computes, under which
        clauses{% endcall %}`, right after the article it applies. Unnumbered and no part of
        the rule: the text leaves the whole block out, its introduction too."""
        return CALCULATOR_MARK


class _Printed(dict):
    """The parameters as a template reads them (`policy.tiering.provisional.tier`): every
    parameter read through it is recorded as printed."""

    def __init__(self, node: dict, path: tuple, printed: set):
        super().__init__(node)
        self._path, self._printed = path, printed

    def _wrap(self, key, value):
        path = self._path + (str(key),)
        if isinstance(value, dict):
            if "value" in value and not isinstance(value["value"], dict):
                self._printed.add(".".join(path))
            return _Printed(value, path, self._printed)
        return value

    def __getitem__(self, key):
        return self._wrap(key, super().__getitem__(key))

    def get(self, key, default=None):
        return self._wrap(key, super().get(key, default)) if key in self else default

    def __getattr__(self, key):   # Jinja's attribute lookup falls back to items too
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None
