"""State of one site build, shared by the MkDocs hook and the macros: where each document
lives, the calculators' wheel, and the register of clause citations."""

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from handbook import clauses, runtime
from handbook import documents as document_files

DOC_NUMBER_RE = re.compile(r"[A-Z]{2}-\d{2}")
_WHEEL_CACHE = Path(tempfile.gettempdir()) / "handbook-calc-wheels"


@dataclass
class BuildState:
    wheel: Path | None = None
    doc_urls: dict[str, str] = field(default_factory=dict)  # document number -> page url
    doc_srcs: dict[str, str] = field(default_factory=dict)  # document number -> docs/ path
    citations: clauses.CitationRegister = field(default_factory=clauses.CitationRegister)
    documents: dict[str, document_files.Document] = field(default_factory=dict)


STATE = BuildState()


def start() -> BuildState:
    global STATE
    STATE = BuildState(wheel=runtime.build_wheel(_WHEEL_CACHE))
    return STATE


def index_documents(files, docs_dir: str) -> None:
    STATE.documents = document_files.load_all(Path(docs_dir))
    docs = [f for f in files.documentation_pages() if DOC_NUMBER_RE.fullmatch(Path(f.src_uri).stem)]
    STATE.doc_urls = {Path(f.src_uri).stem: f.url for f in docs}
    STATE.doc_srcs = {Path(f.src_uri).stem: f.src_uri for f in docs}


def finish_page(html: str, page_url: str) -> str:
    html = clauses.add_item_permalinks(html)
    STATE.citations.record(page_url, html)
    return html


def finish_site(site_dir: str) -> list[str]:
    """Copy the runtime into the site; return the build's errors (dangling citations)."""
    runtime.copy_runtime(Path(site_dir), STATE.wheel)
    return STATE.citations.dangling(STATE.doc_urls)


def relative_root(page_url: str) -> str:
    """'' for the home page, '../../' for 'xinyong/XY-03/': the way back to the site root."""
    return "../" * page_url.count("/")


def wheel_url(page_url: str) -> str:
    return relative_root(page_url) + runtime.wheel_site_path(STATE.wheel)
