"""mkdocs-macros: puts the policy parameters and the calculators into the pages.
Thin glue; the logic lives in the handbook and calc packages."""

from calc.parameters import policy
from handbook import build, calculator_form, clauses, pages


def define_env(env):
    env.variables["policy"] = policy()

    def page_url() -> str:
        return env.page.url

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
        build.STATE.citations.cite(env.page.file.src_uri, clause_id)
        return clauses.markdown_link(clause_id, env.page.file.src_uri, build.STATE.doc_srcs)

    @env.macro
    def doc_control() -> str:
        return pages.doc_control(env.page.meta)

    @env.macro
    def calculator(name: str) -> str:
        return calculator_form.render(
            name, page_url(), env.page.file.src_uri, build.STATE.doc_urls,
            build.wheel_url(page_url()), build.STATE.citations)
