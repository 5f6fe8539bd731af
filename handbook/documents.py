"""The controlled documents: front matter (control fields), the register in
calc/policy.toml (title, version in force), and each document's data file
(handbook/data/documents/<DOC>.toml: duties, processes, forms, terms, sources, decisions).
Validation here is what makes a bad document fail the build."""

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from calc.parameters import policy
from handbook import roster

ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = ROOT / "docs"
DATA_DIR = Path(__file__).resolve().parent / "data"
DOC_RE = re.compile(r"^[A-Z]{2}-\d{2}$")
PARTS = {"XY": ("xinyong", "信用管理"), "KH": ("kehu", "客户管理"), "FW": ("fuwu", "客户服务")}
CONTROL_FIELDS = {
    "doc_no": "文件编号", "owner": "归口部门", "approver": "批准",
    "executing": "执行部门", "supervising": "监督部门", "review_cycle": "复审周期（月）",
    "sources": "来源",
}
ROLE_FIELDS = ("owner", "approver")
ROLE_LIST_FIELDS = ("executing", "supervising")


class DocumentError(ValueError):
    pass


@dataclass
class Document:
    number: str
    path: Path                      # docs/<part>/<DOC>.md
    meta: dict
    data: dict = field(default_factory=dict)
    # The release being prepared, when its text is rendered: {"version", "effective"}; the
    # text then prints them (its 施行 clause) before the register holds them.
    pending: dict | None = None

    @property
    def register(self) -> dict:
        return policy()["documents"][self.number]

    @property
    def title(self) -> str:
        return self.register["title"]

    @property
    def version(self) -> str:
        return self.pending["version"] if self.pending else self.register["version"]

    @property
    def part(self) -> str:
        return PARTS[self.number[:2]][1]

    @property
    def src_uri(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def effective(self) -> dt.date:
        # The latest release's effective date, from the one record (revisions/manifest.json
        # via calc/register.json); a document never released shows today until it is.
        from calc.parameters import today

        if self.pending:
            return _as_date(self.pending["effective"])
        return _as_date(self.register.get("effective") or today())

    @property
    def next_review(self) -> dt.date:
        """When the next review falls due (handbook/reviews.py: from the last substantive
        version or recorded review, not from an editorial correction)."""
        from handbook import reviews, revisions

        return reviews.due(self, revisions.load()).next


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError


_FRONT_MATTER = re.compile(r"^---\n(.*?)\n---\n", re.S)


def split_front_matter(text: str) -> tuple[dict, str, int]:
    """A page's or snapshot's YAML front matter, the text after it, and the number of lines
    it takes (so that a line of the text can be named by its line in the file). The one
    reader of front matter: documents, snapshots, the typed-number check, the release."""
    import yaml

    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text, 0
    return yaml.safe_load(m.group(1)) or {}, text[m.end():], text[: m.end()].count("\n")


def front_matter(path: Path) -> dict:
    return split_front_matter(path.read_text(encoding="utf-8"))[0]


def check_control_fields(number: str, meta: dict) -> None:
    missing = [f"{k}（{v}）" for k, v in CONTROL_FIELDS.items() if meta.get(k) in (None, "", [])]
    if missing:
        raise DocumentError(f"{number}：缺少控制字段 {'、'.join(missing)}")
    if meta["doc_no"] != number:
        raise DocumentError(f"{number}：doc_no 写成了 {meta['doc_no']}")
    for key in ROLE_FIELDS:
        roster.name(meta[key])
    for key in ROLE_LIST_FIELDS:
        for role in meta[key]:
            roster.name(role)
    known = sources()
    for s in meta["sources"]:
        if s not in known:
            raise DocumentError(f"{number}：来源 {s} 不在 handbook/data/sources.toml 中")
    if number not in policy()["documents"]:
        raise DocumentError(f"{number}：calc/policy.toml 的 [documents] 中没有此文件（标题）")


def check_data(number: str, data: dict, form_ids: set[str]) -> None:
    """Every role in the roster, every form known."""
    def role(value, where):
        try:
            roster.name(value)
        except roster.UnknownRole as e:
            raise DocumentError(f"{number} {where}：{e}") from None

    for d in data.get("duty", []):
        role(d["role"], f"职责“{d['text']}”")
    for p in data.get("process", []):
        for i, s in enumerate(p.get("step", []), 1):
            role(s["performer"], f"流程 {p['id']} 第{i}步的执行者")
            if s.get("approver"):
                role(s["approver"], f"流程 {p['id']} 第{i}步的审批者")
            if s.get("form") and s["form"] not in form_ids:
                raise DocumentError(f"{number} 流程 {p['id']} 第{i}步：表单 {s['form']} 不在任何文件的表单清单中")
    known = sources()
    for s in data.get("source", []):
        if s["from"] not in known and s["from"] != "本手册":
            raise DocumentError(f"{number} 条款 {s['clause']} 的来源 {s['from']} 不在 handbook/data/sources.toml 中")
    for f in data.get("form", []):
        for r in form_roles(f, "filled_by"):
            role(r, f"表单 {f['name']} 的填写者")
        for r in form_roles(f, "kept_by"):
            role(r, f"表单 {f['name']} 的保管者")


def form_roles(form: dict, key: str) -> list[str]:
    """Who fills or keeps a form: one roster id, or several (e.g. whoever made the decision
    it records: XY-05 第十九条（二））."""
    value = form[key]
    return [value] if isinstance(value, str) else list(value)


@lru_cache(maxsize=1)
def sources() -> dict:
    return tomllib.loads((DATA_DIR / "sources.toml").read_text(encoding="utf-8"))


def load_all(docs_dir: Path = DOCS_DIR) -> dict[str, Document]:
    docs = {}
    for path in sorted(docs_dir.glob("*/*.md")):
        if not DOC_RE.match(path.stem):
            continue
        data_file = DATA_DIR / "documents" / f"{path.stem}.toml"
        data = tomllib.loads(data_file.read_text(encoding="utf-8")) if data_file.exists() else {}
        docs[path.stem] = Document(path.stem, path, front_matter(path), data)
    forms = {f["id"] for d in docs.values() for f in d.data.get("form", [])}
    seen_forms: dict[str, str] = {}
    seen_terms: dict[str, str] = {}
    for number, doc in docs.items():
        check_control_fields(number, doc.meta)
        check_data(number, doc.data, forms)
        for f in doc.data.get("form", []):
            if f["id"] in seen_forms:
                raise DocumentError(f"表单 {f['id']} 在 {seen_forms[f['id']]} 与 {number} 中重复定义")
            seen_forms[f["id"]] = number
        for t in doc.data.get("term", []):
            if t["term"] in seen_terms:
                raise DocumentError(f"术语 {t['term']} 在 {seen_terms[t['term']]} 与 {number} 中重复定义")
            seen_terms[t["term"]] = number
    from handbook import forms  # each form's own definition: fields, signatures, copies

    problems = forms.problems(docs)
    if problems:
        raise DocumentError("\n".join(problems))
    return docs
