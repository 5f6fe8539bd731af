"""Released revisions: kept unchanged under revisions/<DOC>/<version>.md, each with its
SHA-256 in revisions/manifest.json, which is also every document's revision log
(版本, 日期, 变更类型, 变更摘要, 批准). Only the release command writes here."""

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REVISIONS_DIR = ROOT / "revisions"
MANIFEST = "manifest.json"
KINDS = {"substantive": "实质性修订", "editorial": "编辑性修订"}
VERSION_RE = re.compile(r"^(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Revision:
    document: str
    version: str
    released: str        # date of the release (ISO)
    effective: str       # date it takes effect (ISO)
    kind: str            # substantive | editorial
    summary: str
    approver: str        # roster id
    file: str            # path under revisions/
    sha256: str

    @property
    def effective_date(self) -> dt.date:
        return dt.date.fromisoformat(self.effective)

    @property
    def slug(self) -> str:
        return f"{self.document}-v{self.version}"


def parse_version(text: str) -> tuple[int, int]:
    m = VERSION_RE.match(text)
    if not m:
        raise ValueError(f"版本号应为“主版本.次版本”，如 1.0、1.1、2.0，收到 {text!r}")
    return int(m[1]), int(m[2])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(root: Path = REVISIONS_DIR) -> dict[str, list[Revision]]:
    path = root / MANIFEST
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {doc: [Revision(**r) for r in revs] for doc, revs in data.items()}


def save(manifest: dict[str, list[Revision]], root: Path = REVISIONS_DIR) -> None:
    data = {doc: [asdict(r) for r in revs] for doc, revs in sorted(manifest.items())}
    (root / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def verify(root: Path = REVISIONS_DIR) -> list[str]:
    """Every snapshot as released: none edited, removed or added outside the release
    command. Returns the problems, each naming the file."""
    manifest = load(root)
    problems, listed = [], set()
    for revs in manifest.values():
        for r in revs:
            listed.add(r.file)
            path = root / r.file
            if not path.exists():
                problems.append(f"revisions/{r.file}：已发布的版本快照被删除")
            elif digest(path) != r.sha256:
                problems.append(f"revisions/{r.file}：已发布的版本快照被改动（SHA-256 不符）")
    if root.exists():
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and rel != MANIFEST and rel not in listed:
                problems.append(f"revisions/{rel}：不是由发布命令登记的文件")
    return problems


def snapshot_text(path: Path) -> tuple[dict, str]:
    """A snapshot's header (its control fields at release) and its body."""
    import yaml

    text = path.read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(m.group(1)), text[m.end():]

