"""mkdocs-macros: puts the policy parameters, the roster, the documents' data and the
calculators into the pages. Thin glue; the logic lives in the handbook and calc packages."""

import datetime as dt
import json

from calc.parameters import policy
from handbook import build, onboarding, templates, calculator_form, documents, pages, release, revision_pages, roster, tables


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
        revs = build.STATE.manifest.get(doc.number)
        root = build.relative_root(env.page.url)
        block = pages.doc_control(doc, root, has_log=bool(revs))
        # "Changed since your last visit" (onboarding.js) compares with the latest release.
        seen = (f'\n\n<div hidden data-doc-seen="{doc.number}" data-version="{revs[-1].version}" '
                f'data-compare="{root}reference/compare/"></div>' if revs else "")
        return block + seen

    @env.macro
    def bounds_clause() -> str:
        """附则: how 以上/以下/以内/不超过 and 超过/不满/低于 are read (same words everywhere)."""
        return pages.bounds_clause(this_doc())

    @env.macro
    def enactment() -> str:
        """附则: '本办法经总经理批准，自2026年12月1日起施行。' from the control fields."""
        return pages.enactment(this_doc())

    @env.macro
    def duties() -> str:
        return tables.duties(this_doc(), linker())

    @env.macro
    def process(process_id: str) -> str:
        return tables.process(this_doc(), process_id, build.STATE.documents, linker())

    @env.macro
    def forms() -> str:
        # The released text has the names alone; the site links each to its form's page.
        if build.STATE.capture:
            return tables.forms(this_doc(), linker())
        from handbook import form_pages

        return tables.forms(this_doc(), linker(), lambda f: form_pages.link(
            {"id": f["id"], "name": f["name"], "document": this_doc().number}, env.page.file.src_uri,
            build.STATE.manifest))

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
        """表单清单: every form by document and by role, each linked to its page."""
        from handbook import form_pages

        return form_pages.register(build.STATE.documents, build.STATE.manifest, linker())

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
    def review_schedule() -> str:
        """受控文件清单: the reviews overdue or due soon, by owner, and the calendar feed."""
        from calc.parameters import today
        from handbook import ical, reviews

        root = build.relative_root(env.page.url)
        rows = reviews.register_rows(build.STATE.documents, build.STATE.manifest,
                                     lambda d: root + build.STATE.doc_urls[d.number], today())
        return templates.render("review-schedule.html", rows=rows, window=reviews.DUE_WINDOW_DAYS,
                                today=today().isoformat(), any_due=any(r["state"] != "ok" for r in rows),
                                ics_href=root + ical.SITE_PATH)

    @env.macro
    def controlled_copies() -> str:
        """受控副本: the register of paper copies, their print pages and recall lists."""
        from calc.parameters import today
        from handbook import copy_pages

        return copy_pages.register(build.STATE.documents, build.STATE.manifest, today(),
                                   build.relative_root(env.page.url))

    @env.macro
    def chain_head() -> str:
        """The last hash of the chained record of releases (revisions/manifest.json)."""
        return revision_pages.chain_head()

    @env.macro
    def revision_picker() -> str:
        return revision_pages.picker(build.STATE.documents, build.STATE.manifest,
                                     build.relative_root(env.page.url))

    @env.macro
    def price_margin(path: str) -> str:
        """KH-02 第十三条: a price factor as a margin, e.g. 0.95 -> 5%."""
        return pages.price_margin(path)

    @env.macro
    def rule_applicability() -> str:
        """XY-05 第十三条（二）的表：由订单信用检查所读的参数生成。"""
        return pages.rule_applicability()

    @env.macro
    def onboarding_picker() -> str:
        """新员工入门: every unit and position, linked to its page."""
        return onboarding.start_page(build.STATE.documents, build.STATE.manifest, linker())

    def _releases() -> dict:
        data = onboarding.release_data(build.STATE.documents, build.STATE.manifest)
        return {"releases": data, "releases_json": json.dumps(data, ensure_ascii=False),
                "root": build.relative_root(env.page.url)}

    @env.macro
    def read_receipt() -> str:
        return templates.render("read-receipt.html", **_releases())

    @env.macro
    def receipt_check() -> str:
        return templates.render("receipt-check.html", **_releases())

    @env.macro
    def recent_releases() -> str:
        """最近更新 on the home page."""
        return onboarding.recent_releases(build.STATE.documents, build.STATE.manifest, linker())

    @env.macro
    def tiering_example(kind: str) -> str:
        """KH-02's worked examples computed by the tiering calculator: rating | quotas | ties."""
        from handbook import tiering_examples
        return {"rating": tiering_examples.rating, "quotas": tiering_examples.quota_table,
                "ties": tiering_examples.ties}[kind]()

    @env.macro
    def calculator(name: str) -> str:
        if build.STATE.capture:
            return release.CALCULATOR_MARK  # removed from the archive: it keeps the rule, not the tool
        from handbook import form_pages

        return calculator_form.render(
            name, env.page.url, env.page.file.src_uri, build.STATE.doc_urls,
            build.wheel_url(env.page.url), build.STATE.citations,
            handoff=form_pages.handoff(name, env.page.url, build.STATE.documents, build.STATE.manifest))


    @env.macro
    def calculator_list() -> str:
        """计算器一览's list of its calculators, at the top."""
        return pages.calculator_list()

    @env.macro
    def calculator_index() -> str:
        """计算器一览: every calculator in the registry, in its order."""
        return pages.calculator_index(lambda c: linker().link(c), calculator)

    @env.macro
    def tool(name: str, caller=None) -> str:
        """A tool block: `{% call tool("credit-grade") %}what it computes, under which
        clauses{% endcall %}`, placed right after the article it applies. Unnumbered and no
        part of the rule: the archive leaves the whole block out, its introduction too."""
        if build.STATE.capture:
            return release.CALCULATOR_MARK
        intro = caller().strip() if caller else ""
        return (f'<div class="tool-block" markdown>\n\n{intro}\n\n{calculator(name)}\n\n</div>\n')


def on_post_page_macros(env):
    """A document's 版本更新记录 goes at the end of its page, after the rules (never into a
    released snapshot: the capture build writes the text alone)."""
    number = env.page.meta.get("doc_no")
    revs = build.STATE.manifest.get(number)
    if build.STATE.capture or number not in build.STATE.documents or not revs:
        return
    env.markdown += "\n\n" + revision_pages.revision_log(build.STATE.documents[number], revs) + "\n"


def on_pre_page_macros(env):
    """`doc` in a document's page: its register entry and control fields."""
    number = env.page.meta.get("doc_no")
    if number in build.STATE.documents:
        doc = build.STATE.documents[number]
        env.variables["doc"] = {"number": number, "title": doc.title, "version": doc.version}
