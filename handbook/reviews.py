"""Review dates (复审): every document is reviewed at least every `review_cycle` months (its
front matter). A review is on record when

- a substantive version was released (the whole text was reconsidered and approved), from
  the day it took effect; an editorial version is not a review; or
- the owner reviewed it and found no change needed: handbook/data/reviews.toml, e.g.

      [[review]]
      document = "XY-03"
      date = "2027-11-20"            # the day the review was concluded
      by = "finance"                 # roster id: who reviewed (the owner, as a rule)
      result = "经复审，无须修订"

The next review falls `review_cycle` months after the later of the two. The register lists
what is overdue and what falls due within DUE_WINDOW_DAYS, by owner; a document page says
when its review is past; the calendar feed (handbook/ical.py) carries every date."""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from handbook.data_files import read_toml
from handbook import roster
from handbook.documents import Document, add_months

RECORDS = Path(__file__).resolve().parent / "data" / "reviews.toml"
DUE_WINDOW_DAYS = 60   # "what is due in the next 60 days" (the register, the calendar's alarm)


class ReviewError(ValueError):
    pass


@dataclass(frozen=True)
class Review:
    document: str
    date: dt.date
    by: str
    result: str


@lru_cache(maxsize=4)
def records(path: Path = RECORDS) -> tuple[Review, ...]:
    """The recorded reviews, checked: a known document, a real date not in the future, a
    roster id, a result in words."""
    if not path.exists():
        return ()
    data = read_toml(path, ReviewError)
    out = []
    for i, entry in enumerate(data.get("review", []), 1):
        where = f"{path.name} 第 {i} 条复审记录"
        missing = {"document", "date", "by", "result"} - set(entry)
        if missing:
            raise ReviewError(f"{where}：缺少 {'、'.join(sorted(missing))}")
        day = entry["date"]
        if isinstance(day, str):
            try:
                day = dt.date.fromisoformat(day)
            except ValueError:
                raise ReviewError(f"{where}：日期 {entry['date']} 不是 YYYY-MM-DD") from None
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise ReviewError(f"{where}：日期应为 YYYY-MM-DD")
        try:
            roster.name(entry["by"])
        except KeyError:
            raise ReviewError(f"{where}：{entry['by']} 不在名册中") from None
        if not str(entry["result"]).strip():
            raise ReviewError(f"{where}：应写明复审结论")
        out.append(Review(entry["document"], day, entry["by"], str(entry["result"]).strip()))
    return tuple(out)


def check(docs: dict[str, Document], today: dt.date, path: Path = RECORDS) -> list[str]:
    """Problems with the review records (the build fails on any)."""
    problems = []
    try:
        for r in records(path):
            if r.document not in docs:
                problems.append(f"{path.name}：复审记录中的文件 {r.document} 不存在")
            elif r.date > today:
                problems.append(f"{path.name}：{r.document} 的复审日期 {r.date.isoformat()} 晚于今天")
    except ReviewError as e:
        problems.append(str(e))
    return problems


@dataclass(frozen=True)
class Due:
    doc: Document
    last: dt.date            # the last review on record
    basis: str               # what that review was: "第 2.0 版生效" | the recorded result
    next: dt.date

    def state(self, today: dt.date) -> str:
        """overdue | due (within DUE_WINDOW_DAYS) | ok."""
        if self.next < today:
            return "overdue"
        return "due" if (self.next - today).days <= DUE_WINDOW_DAYS else "ok"


def due(doc: Document, manifest: dict, reviews: tuple[Review, ...] | None = None) -> Due:
    """The last review of a document and the date the next one falls due."""
    reviews = records() if reviews is None else reviews
    revs = manifest.get(doc.number, [])
    candidates = [(dt.date.fromisoformat(r.effective),
                   f"第 {r.version} 版生效（{'首次发布' if r is revs[0] else '实质性修订'}）")
                  for r in revs if r.kind == "substantive"]
    candidates += [(r.date, f"复审：{r.result}") for r in reviews if r.document == doc.number]
    if not candidates:   # never released: counted from the day it takes effect
        candidates = [(doc.effective, "首次发布")]
    last, basis = max(candidates, key=lambda c: c[0])
    return Due(doc, last, basis, add_months(last, int(doc.meta["review_cycle"])))


def schedule(docs: dict[str, Document], manifest: dict) -> list[Due]:
    """Every document's review, earliest first."""
    return sorted((due(d, manifest) for d in docs.values()), key=lambda x: (x.next, x.doc.number))


STATE_LABELS = {"overdue": "已逾期", "due": "即将到期", "ok": "—"}


def register_rows(docs: dict[str, Document], manifest: dict, doc_href, today: dt.date) -> list[dict]:
    """The register's review table: by owner, then by date (state as of `today`; the page's
    script recomputes it on the day it is read)."""
    rows = []
    for d in schedule(docs, manifest):
        state = d.state(today)
        rows.append({"owner": roster.name(d.doc.meta["owner"]), "owner_id": d.doc.meta["owner"],
                     "number": d.doc.number, "title": d.doc.title, "href": doc_href(d.doc),
                     "last": d.last.isoformat(), "basis": d.basis, "next": d.next.isoformat(),
                     "state": state, "label": STATE_LABELS[state]})
    order = [e for e in roster.entries()]
    return sorted(rows, key=lambda r: (order.index(r["owner_id"]), r["next"], r["number"]))
