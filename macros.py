"""mkdocs-macros: puts the policy parameters, the roster, the documents' data and the
calculators into the pages. Thin glue; the logic lives in the handbook and calc packages."""

import datetime as dt

from calc.parameters import policy
from handbook import build, calculator_form, documents, pages, release, revision_pages, roster, tables


def define_env(env):
    env.variables["policy"] = policy()
    env.variables["org"] = roster.names()

    def linker() -> tables.Linker:
        return tables.Linker(env.page.file.src_uri, build.STATE.doc_srcs, build.STATE.citations)

    def this_doc() -> documents.Document:
        return build.STATE.documents[env.page.meta["doc_no"]]

    @env.macro
    def param(path: str) -> str:
        """A parameter's value with its unit, e.g. param('credit_grade.lookback_years')."""
        return pages.param_text(path)

    @env.macro
    def items(path: str) -> str:
        """A list of conditions from the parameter file as numbered clause items."""
        return pages.clause_items(path)

    @env.macro
    def clause(clause_id: str) -> str:
        return linker().link(clause_id)

    @env.macro
    def doc_control() -> str:
        if build.STATE.capture:
            return ""  # a released snapshot carries its own control fields
        doc = this_doc()
        block = pages.doc_control(doc, build.relative_root(env.page.url))
        revs = build.STATE.manifest.get(doc.number)
        return block + ("\n\n" + revision_pages.revision_log(doc, revs) if revs else "")

    @env.macro
    def duties() -> str:
        return tables.duties(this_doc(), linker())

    @env.macro
    def process(process_id: str) -> str:
        return tables.process(this_doc(), process_id, build.STATE.documents, linker())

    @env.macro
    def forms() -> str:
        return tables.forms(this_doc(), linker())

    @env.macro
    def document_register() -> str:
        return tables.document_register(build.STATE.documents, linker(), dt.date.today())

    @env.macro
    def role_index() -> str:
        return tables.role_index(build.STATE.documents, linker())

    @env.macro
    def glossary() -> str:
        return tables.glossary(build.STATE.documents, linker())

    @env.macro
    def form_register() -> str:
        return tables.form_register(build.STATE.documents, linker())

    @env.macro
    def source_appendix() -> str:
        return tables.source_appendix(build.STATE.documents, documents.sources(), linker())

    @env.macro
    def change_register() -> str:
        """变更通告: every release, newest first, filterable (revisions.js)."""
        rows = revision_pages.changes(build.STATE.documents, build.STATE.manifest)
        return revision_pages.change_register(rows, build.relative_root(env.page.url),
                                              sorted(build.STATE.documents.values(), key=lambda d: d.number))

    @env.macro
    def point_in_time() -> str:
        """时点查询: which revision of each document was in force on a date (revisions.js)."""
        return revision_pages.point_in_time(build.STATE.documents, build.STATE.manifest,
                                            build.relative_root(env.page.url))

    @env.macro
    def revision_picker() -> str:
        return revision_pages.picker(build.STATE.documents, build.STATE.manifest,
                                     build.relative_root(env.page.url), build.wheel_url(env.page.url))

    @env.macro
    def calculator(name: str) -> str:
        if build.STATE.capture:
            return release.CALCULATOR_NOTE  # the archive keeps the rule, not a live tool
        return calculator_form.render(
            name, env.page.url, env.page.file.src_uri, build.STATE.doc_urls,
            build.wheel_url(env.page.url), build.STATE.citations)


def on_pre_page_macros(env):
    """`doc` in a document's page: its register entry and control fields."""
    number = env.page.meta.get("doc_no")
    if number in build.STATE.documents:
        doc = build.STATE.documents[number]
        env.variables["doc"] = {"number": number, "title": doc.title, "version": doc.version}
