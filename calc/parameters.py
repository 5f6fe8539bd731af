"""The policy-parameter file and the register of released versions, as of a date.

importlib.resources reads both from the package wherever it lives: the source tree or
Pyodide's in-memory file system. calc/register.json is generated from
revisions/manifest.json by the release command (the one record of versions and dates). It
is not in the site's wheel (a release would otherwise remake the wheel and its 13 MB
snapshot): the page's worker writes its build's copy beside the package before the first
calculation (handbook/runtime.py), and the snapshot is made before it is ever read.

Dated values (OpenFisca style): a parameter that a release changes lists its values with
the version that brought each in, e.g.

    [credit_grade.min_cooperation_years]
    value = 1                         # the value before the versions listed below
    [[credit_grade.min_cooperation_years.values]]
    version = "2.0"                   # of the document the parameter's clause belongs to
    value = 2

The date each value takes effect is that version's effective date in the register, so it
is written once. `policy()` answers for the day set with `as_of(day)`: each parameter's
"value" is the one in force that day, so calculator code keeps reading ["value"]. With no
day set it answers for the text as it stands (the latest values, released or not), which
is what the chapters print.
"""

import contextlib
import contextvars
import datetime as dt
import json
import tomllib
from functools import lru_cache
from importlib.resources import files

# China has kept UTC+8 all year since 1991; a fixed offset needs no time-zone database
# (Pyodide ships none).
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

_AS_OF: contextvars.ContextVar = contextvars.ContextVar("as_of", default=None)
# Literal dates (change impact only): a day before a document first takes effect gets the
# values of the versions dated by then, not those of the version that will take effect.
_LITERAL: contextvars.ContextVar = contextvars.ContextVar("literal_dates", default=False)


def today() -> dt.date:
    """Today's date in China, whatever the machine's clock zone."""
    return dt.datetime.now(CHINA).date()


@contextlib.contextmanager
def as_of(day: dt.date | None):
    """Within this block, policy() and document() answer for `day` (None: the text as it stands)."""
    token = _AS_OF.set(day)
    try:
        yield day
    finally:
        _AS_OF.reset(token)


@contextlib.contextmanager
def literal_dates():
    """Within this block a day before a document's first effective date is not moved to
    that date: the change-impact list compares each version's own values."""
    token = _LITERAL.set(True)
    try:
        yield
    finally:
        _LITERAL.reset(token)


def current_day() -> dt.date | None:
    return _AS_OF.get()


@lru_cache(maxsize=1)
def _source() -> dict:
    return tomllib.loads(files("calc").joinpath("policy.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def register() -> dict:
    """Each document's released versions with their dates (oldest first) and the chain head."""
    return json.loads(files("calc").joinpath("register.json").read_text(encoding="utf-8"))


def clear_cache() -> None:
    """Forget the files read (the site's live reload re-reads them on every rebuild)."""
    for f in (_source, register, _view, company):
        f.cache_clear()


# A release being prepared (the release command's capture build): its text must print
# the new version's number and date before the register holds them.
_PENDING: dict[str, dict] = {}


def set_pending(number: str, version: str, effective: str) -> None:
    _PENDING.clear()
    _PENDING[number] = {"version": version, "released": None, "effective": effective}
    _view.cache_clear()


def revisions(number: str) -> list[dict]:
    revs = register()["documents"].get(number, [])
    return revs + [_PENDING[number]] if number in _PENDING else revs


def in_force(number: str, day: dt.date) -> dict | None:
    """The released version of a document in force on a day (None before the first)."""
    current = None
    for r in revisions(number):
        if r["effective"] <= day.isoformat():
            current = r
    return current


def _resolve(node, section: str, day: dt.date | None, literal: bool = False):
    if isinstance(node, list):
        return [_resolve(v, section, day, literal) for v in node]
    if not isinstance(node, dict):
        return node
    dated = node.get("values")
    if not (isinstance(dated, list) and "value" in node
            and all(isinstance(e, dict) and {"version", "value"} <= set(e) for e in dated)):
        return {k: _resolve(v, section, day, literal) for k, v in node.items()}
    out = {k: _resolve(v, section, day, literal) for k, v in node.items() if k != "values"}
    number = (node.get("clause") or "")[:5] or section
    revs = revisions(number)
    effective = {r["version"]: r["effective"] for r in revs}
    if day is not None and not literal and revs and day.isoformat() < revs[0]["effective"]:
        # Before the document first takes effect the calculators apply the version that
        # will (document() says so in the result): its values too.
        day = dt.date.fromisoformat(revs[0]["effective"])
    value = node["value"]
    for entry in dated:
        since = effective.get(entry["version"])
        if day is None or (since is not None and since <= day.isoformat()):
            value = entry["value"]
    out["value"] = value
    # When each value applies (None: its version is not released yet), for the pages.
    out["history"] = [{"version": None, "value": node["value"], "from": None}] + [
        {"version": e["version"], "value": e["value"], "from": effective.get(e["version"])} for e in dated]
    return out


@lru_cache(maxsize=64)
def _view(day: dt.date | None, literal: bool = False) -> dict:
    data = {k: (_resolve(v, (v.get("document") or "") if isinstance(v, dict) else "", day, literal)
                if k != "documents" else v) for k, v in _source().items()}
    docs = {}
    for number, entry in _source().get("documents", {}).items():
        revs = revisions(number)
        rev = (revs[-1] if revs else None) if day is None else in_force(number, day)
        docs[number] = {**entry, "version": rev["version"] if rev else None,
                        "effective": rev["effective"] if rev else None}
    data["documents"] = docs
    _follow_refs(data, data)
    return data


def _follow_refs(node, root: dict) -> None:
    """A parameter that only points at another (`ref = "section.key"`) shows that one's
    value and unit: the value lives once."""
    if isinstance(node, list):
        for v in node:
            _follow_refs(v, root)
    elif isinstance(node, dict):
        if isinstance(node.get("ref"), str) and "value" not in node:
            target = root
            for key in node["ref"].split("."):
                target = target[key]
            node["value"] = target["value"]
            if "unit" in target:
                node.setdefault("unit", target["unit"])
            for key in ("bound",):
                if key in target:
                    node.setdefault(key, target[key])
        for v in node.values():
            _follow_refs(v, root)


def policy() -> dict:
    """The parameters (and the documents' register entries) in force on the day set with
    as_of(), or as the text stands when none is set."""
    return _view(_AS_OF.get(), _LITERAL.get())


def document(number: str) -> dict:
    """The controlled document a calculator applies, as cited in its output: the version
    in force on the day (as_of), or, before its first version takes effect, that version
    marked as not yet in force."""
    title = _source()["documents"][number]["title"]
    day = _AS_OF.get()
    revs = revisions(number)
    rev = (revs[-1] if revs else None) if day is None else in_force(number, day)
    cited = {"document": number, "title": title, "version": rev["version"] if rev else None,
             "effective": rev["effective"] if rev else None}
    if day is not None:
        cited["as_of"] = day.isoformat()
    if rev is None and revs:
        first = in_force(number, dt.date.fromisoformat(revs[0]["effective"]))
        cited.update(version=first["version"], effective=first["effective"], in_force=False,
                     note=f"{day.isoformat()} 尚无生效版本：第 {first['version']} 版"
                          f"自 {first['effective']} 起生效，此处按该版计算")
    return cited


def quantity(param: dict) -> str:
    """A parameter as the text states it: value and unit, e.g. '2年'."""
    return f"{param['value']}{param.get('unit', '')}"


def condition_text(section: str, condition: dict) -> str:
    """A condition's text with {parameter} references filled in from its section."""
    params = policy()[section]
    values = {k: quantity(v) for k, v in params.items() if isinstance(v, dict) and "value" in v}
    return condition["text"].format(**values)


@lru_cache(maxsize=1)
def company() -> dict:
    """calc/company.toml: the company, its units and positions (the roster). The build reads
    it through here too, so there is one reader of the file."""
    return tomllib.loads(files("calc").joinpath("company.toml").read_text(encoding="utf-8"))


def roster() -> dict:
    """Unit and position names by id (the calculators name who releases an order)."""
    data = company()
    return {e["id"]: e["name"] for kind in ("unit", "position") for e in data[kind]}
