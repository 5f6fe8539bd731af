"""The site's macros: the document macros (handbook/document_macros.py) for the page being
built, plus what the site shows around the rules (the control strip, the calculators) and
the reference pages' macros (registers, indexes, version tools, onboarding). The build's
state comes from the MkDocs config (`config.handbook`, made by handbook.build.start)."""

import json

from calc.parameters import policy, today
from handbook import (build, calculator_form, copy_pages, documents, form_pages, ical, onboarding, pages,
                      parameter_pages, reviews, revision_pages, tables, templates, worked_examples)
from handbook import decision_tables
from handbook.document_macros import DOCUMENT_MACROS, DocumentMacros

SITE_MACROS = ("document_register", "role_index", "glossary", "form_register", "source_appendix",
               "change_register", "point_in_time", "review_schedule", "controlled_copies", "chain_head",
               "revision_picker", "onboarding_picker", "read_receipt", "receipt_check", "recent_releases",
               "calculator_list", "calculator_index", "parameter_register")


class SiteMacros(DocumentMacros):
    def __init__(self, env):
        self.env = env
        self.rules = policy()
        self.printed = set()

    @property
    def state(self) -> build.BuildState:
        return self.env.conf.handbook

    @property
    def sources(self):
        """Read when a macro runs: the documents are indexed after the macros are defined."""
        return self.state.sources

    @property
    def page_src(self) -> str:
        return self.env.page.file.src_uri

    @property
    def page_meta(self) -> dict:
        return self.env.page.meta

    def root(self) -> str:
        return build.relative_root(self.env.page.url)

    def register(self) -> None:
        for name in DOCUMENT_MACROS + SITE_MACROS:
            self.env.macro(getattr(self, name), name)

    # --- around the rules -------------------------------------------------------------

    def doc_control(self) -> str:
        doc, root = self.doc(), self.root()
        revs = self.state.manifest.get(doc.number)
        block = pages.doc_control(doc, root, has_log=bool(revs))
        # "Changed since your last visit" (onboarding.js) compares with the latest release.
        seen = (f'\n\n<div hidden data-doc-seen="{doc.number}" data-version="{revs[-1].version}" '
                f'data-compare="{root}reference/compare/"></div>' if revs else "")
        return block + seen

    def calculator(self, name: str) -> str:
        page = self.env.page
        return calculator_form.render(name, page.url, page.file.src_uri, self.state.doc_urls,
                                      build.wheel_url(self.state, page.url), self.state.citations,
                                      handoff=form_pages.handoff(name, page.url, self.state.documents,
                                                                 self.state.manifest))

    def forms(self) -> str:
        """The document's forms, each name linking to its form's page (the text has the names)."""
        doc = self.doc()
        return tables.forms(doc, self.linker(), lambda f: form_pages.link(
            {"id": f["id"], "name": f["name"], "document": doc.number}, self.page_src, self.state.manifest))

    def tool(self, name: str, caller=None) -> str:
        intro = caller().strip() if caller else ""
        rule = decision_tables.for_page(name, self.env.page, self.state)   # the whole rule, after the calculator
        examples = worked_examples.block(name, self.env.page.url, self.page_src, self.state.doc_urls, self.state.citations)
        return f'<div class="tool-block" markdown>\n\n{intro}\n\n{self.calculator(name)}\n\n{rule}\n\n</div>\n\n{examples}\n'

    # --- the reference pages ----------------------------------------------------------

    def document_register(self) -> str:
        return tables.document_register(self.state.documents, self.linker(), today())

    def role_index(self) -> str:
        return tables.role_index(self.state.documents, self.linker())

    def glossary(self) -> str:
        return tables.glossary(self.state.documents, self.linker())

    def form_register(self) -> str:
        """表单清单: every form by document and by role, each linked to its page."""
        return form_pages.register(self.state.documents, self.state.manifest, self.linker())

    def parameter_register(self) -> str:
        """参数一览: every parameter, its values over time and their sources."""
        return parameter_pages.register(self.state.documents, self.state.manifest, self.linker())

    def source_appendix(self) -> str:
        return tables.source_appendix(self.state.documents, documents.sources(), self.linker())

    def change_register(self) -> str:
        """变更通告: every release, newest first, filterable (revisions.js)."""
        rows = revision_pages.changes(self.state.documents, self.state.manifest)
        return revision_pages.change_register(rows, self.root(),
                                              sorted(self.state.documents.values(), key=lambda d: d.number))

    def point_in_time(self) -> str:
        """时点查询: which revision of each document was in force on a date (revisions.js)."""
        return revision_pages.point_in_time(self.state.documents, self.state.manifest, self.root())

    def review_schedule(self) -> str:
        """受控文件清单: the reviews overdue or due soon, by owner, and the calendar feed."""
        root = self.root()
        rows = reviews.register_rows(self.state.documents, self.state.manifest,
                                     lambda d: root + self.state.doc_urls[d.number], today())
        return templates.render("review-schedule.html", rows=rows, window=reviews.DUE_WINDOW_DAYS,
                                today=today().isoformat(), any_due=any(r["state"] != "ok" for r in rows),
                                ics_href=root + ical.SITE_PATH)

    def controlled_copies(self) -> str:
        """受控副本: the register of paper copies, their print pages and recall lists."""
        return copy_pages.register(self.state.documents, self.state.manifest, today(), self.root())

    def chain_head(self) -> str:
        """The last hash of the chained record of releases (revisions/manifest.json)."""
        return revision_pages.chain_head()

    def revision_picker(self) -> str:
        return revision_pages.picker(self.state.documents, self.state.manifest, self.root())

    def onboarding_picker(self) -> str:
        """新员工入门: every unit and position, linked to its page."""
        return onboarding.start_page(self.state.documents, self.state.manifest, self.linker())

    def read_receipt(self) -> str:
        """The read receipt of the position picked on the page."""
        return onboarding.receipt_form(self.state.documents, self.state.manifest)

    def receipt_check(self) -> str:
        data = onboarding.release_data(self.state.documents, self.state.manifest)
        return templates.render("receipt-check.html", releases=data, root=self.root(),
                                releases_json=json.dumps(data, ensure_ascii=False))

    def recent_releases(self) -> str:
        """最近更新 on the home page."""
        return onboarding.recent_releases(self.state.documents, self.state.manifest, self.linker())

    def calculator_list(self) -> str:
        """计算器一览's list of its calculators, at the top."""
        return pages.calculator_list()

    def calculator_index(self) -> str:
        """计算器一览: every calculator in the registry, in its order."""
        return pages.calculator_index(lambda c: self.linker().link(c), self.calculator)


def before_page(env) -> None:
    """`doc` in a document's page: its register entry and control fields."""
    state = env.conf.handbook
    number = env.page.meta.get("doc_no")
    if number in state.documents:
        doc = state.documents[number]
        env.variables["doc"] = {"number": number, "title": doc.title, "version": doc.version}


def after_page(env) -> None:
    """A document's 版本更新记录 goes at the end of its page, after the rules (the page,
    never the document's text: handbook/document_text.py renders the text alone)."""
    state = env.conf.handbook
    number = env.page.meta.get("doc_no")
    revs = state.manifest.get(number)
    if number in state.documents and revs:
        env.markdown += "\n\n" + revision_pages.revision_log(state.documents[number], revs) + "\n"
