"""A document's text as it stands: its Markdown with the macros expanded (so the text holds
the parameter values of its day), without the control block and the calculators, which
are not part of the rule. This is what a release archives and what "released as it
stands" compares.

It is rendered directly with Jinja, with the settings mkdocs-macros uses (an undefined name
is an error), the document macros (handbook/document_macros.py) and nothing else: no site
build, no Pyodide, no mode switched on somewhere. A release passes the version it is about
to write (`pending`), which the 施行 clause prints."""

from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from calc.parameters import policy
from handbook import clauses, documents, render_errors, revisions, rule_parameters
from handbook.document_macros import CALCULATOR_MARK, DOCUMENT_MACROS, DocumentMacros, Sources


class RenderError(ValueError):
    """A document whose macros cannot be expanded: one Chinese line naming file and line."""


@dataclass(frozen=True)
class Capture:
    """Every document's text as it stands and the rule parameters it states (its own and
    those it prints, rule_parameters.of_document)."""
    texts: dict[str, str]
    parameters: dict[str, dict[str, dict]]


_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined)


def render(doc: documents.Document, sources: Sources) -> tuple[str, set[str]]:
    """One document's text (from its title on) and the parameters it printed."""
    macros = DocumentMacros(sources)
    macros.page_src, macros.page_meta = doc.src_uri, doc.meta
    source = doc.path.read_text(encoding="utf-8")
    _, body, offset = documents.split_front_matter(source)
    context = {**macros.variables(), **{name: getattr(macros, name) for name in DOCUMENT_MACROS},
               "doc": {"number": doc.number, "title": doc.title, "version": doc.version}}
    try:
        text = _ENV.from_string(body).render(context)
    except Exception as e:   # a macro that fails: where, in the source file, and why
        line = render_errors.template_line(e)
        where = f"docs/{doc.src_uri}" + (f" 第 {line + offset} 行" if line is not None else "")
        raise RenderError(f"{where}：宏展开失败：{render_errors.cause(e)}") from None
    return text, macros.printed


def render_all(root: Path = documents.ROOT, pending: tuple[str, str, str] | None = None) -> Capture:
    """Every document's text as it stands; `pending` = (document, version, effective) of the
    release being prepared. The parameters and roster are those of `root`'s calc package:
    another project than the running one is rendered by its own code, in a subprocess."""
    import calc

    if Path(calc.__file__).resolve().parent != (Path(root) / "calc").resolve():
        return _render_elsewhere(Path(root), pending)
    docs = documents.load_all(root / "docs")
    if pending:
        number, version, effective = pending
        docs[number] = replace(docs[number], pending={"version": version, "effective": effective})
    sources = Sources(docs, {n: d.src_uri for n, d in docs.items()}, revisions.load(root / "revisions"),
                      clauses.CitationRegister())
    every = rule_parameters.flat(policy())
    texts, stated = {}, {}
    for number, doc in sorted(docs.items()):
        text, printed = render(doc, sources)
        texts[number] = text
        stated[number] = rule_parameters.of_document(number, every, printed)
    return Capture(texts, stated)


def _render_elsewhere(root: Path, pending) -> Capture:
    import json
    import os
    import subprocess
    import sys

    code = ("import json, sys; from pathlib import Path; from handbook import document_text as t\n"
            "try:\n    c = t.render_all(Path(sys.argv[1]), tuple(json.loads(sys.argv[2])) or None)\n"
            "except t.RenderError as e:\n    print(json.dumps({'error': str(e)})); sys.exit(0)\n"
            "print(json.dumps({'texts': c.texts, 'parameters': c.parameters}, ensure_ascii=False))")
    proc = subprocess.run([sys.executable, "-c", code, str(root), json.dumps(list(pending or ()))],
                          cwd=root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(root), "NO_MKDOCS_2_WARNING": "1"})
    if proc.returncode != 0:
        raise RenderError(f"无法渲染 {root} 的文件：{proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
    out = json.loads(proc.stdout)
    if "error" in out:
        raise RenderError(out["error"])
    return Capture(out["texts"], out["parameters"])


def body(text: str) -> str:
    """A rendered document without its title (the snapshot has its own) and without the
    calculators' places."""
    import re

    text = documents.split_front_matter(text)[1]
    text = re.sub(r"^# .*\n", "", text.lstrip("\n"), count=1)
    text = re.sub(rf"\n*^[ \t]*{re.escape(CALCULATOR_MARK)}[ \t]*$\n*", "\n\n", text, flags=re.M)
    return text.strip("\n") + "\n"
