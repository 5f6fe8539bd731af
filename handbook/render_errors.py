"""A macro that fails in a page: one line in Chinese naming the source file, the line in
that file (mkdocs-macros counts from the end of the front matter) and the cause.

mkdocs-macros logs its own report as a warning, which `mkdocs build -q` (and so the
release command) does not show, and then exits with no message. Its error formatter is
replaced here by one that raises a PluginError, which MkDocs always reports."""

import traceback

from mkdocs.exceptions import PluginError


def template_line(error: BaseException) -> int | None:
    """The line of the page being rendered where the error arose (jinja2 puts the
    template's own frames, named <template>, into the traceback)."""
    line = getattr(error, "lineno", None)
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename == "<template>":
            line = lineno
    return line


def _front_matter_lines(page, markdown: str) -> int:
    source = page.file.content_string
    if source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return 0


def cause(error: BaseException) -> str:
    from jinja2 import TemplateSyntaxError, UndefinedError

    if isinstance(error, TemplateSyntaxError):
        return f"宏的写法有误（{error.message}）"
    if isinstance(error, UndefinedError):
        return f"宏中用了未定义的名称（{error.message}）"
    if isinstance(error, ValueError) and str(error):   # the handbook's own messages are Chinese
        return str(error)
    if isinstance(error, KeyError):
        return f"找不到 {error.args[0]!r}（宏的参数写错了，或数据中没有这一项）"
    return f"{error}（{type(error).__name__}）" if str(error) else type(error).__name__


def describe(error: BaseException, markdown: str, page) -> str:
    line = template_line(error)
    where = f"docs/{page.file.src_uri}"
    if line is not None:
        where += f" 第 {line + _front_matter_lines(page, markdown)} 行"
    return f"{where}：宏展开失败：{cause(error)}"


def _raise(error: BaseException, markdown: str, page) -> str:
    raise PluginError(describe(error, markdown, page)) from None


def install() -> None:
    from jinja2 import TemplateSyntaxError
    from mkdocs_macros.errors import format_error

    format_error.register(Exception, _raise)
    format_error.register(TemplateSyntaxError, _raise)
