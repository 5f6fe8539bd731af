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
is written once. `policy(day)` answers for that day: each parameter's "value" is the one in
force then, so calculator code keeps reading ["value"]. `policy()` (no day) answers for the
text as it stands (the latest values, released or not), which is what the chapters print.
The day is always passed, never set aside somewhere (calc.registry.run hands each
calculator the Rules of its as_of).
"""

import datetime as dt
import json
import tomllib
from functools import lru_cache
from importlib.resources import files

# China has kept UTC+8 all year since 1991; a fixed offset needs no time-zone database
# (Pyodide ships none).
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


class Rules(dict):
    """The parameters in force on one day, by section (and the documents' register entries),
    with the day they answer for: None for the text as it stands (the latest values, what
    the chapters print). A calculator is handed one (calc.registry.run); nothing about the
    day is held anywhere else. `literal` (change impact only): a day before a document first
    takes effect gets the values dated by then, not those of the version about to."""

    def __init__(self, data: dict, day: dt.date | None, literal: bool = False):
        super().__init__(data)
        self.day = day
        self.literal = literal


def today() -> dt.date:
    """Today's date in China, whatever the machine's clock zone."""
    return dt.datetime.now(CHINA).date()


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


def revisions(number: str) -> list[dict]:
    return register()["documents"].get(number, [])


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
def _view(day: dt.date | None, literal: bool = False) -> Rules:
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
    return Rules(data, day, literal)


def _lookup(root: dict, path: str):
    target = root
    for key in path.split("."):
        target = target[key]
    return target


def _follow_refs(node, root: dict) -> None:
    """A parameter that only points at another (`ref = "section.key"`) shows that one's
    value and unit: the value lives once. With `per = "section.list"` it is that value
    once for each entry of the list (a full score: the top score of an item times the
    items), so a derivable value is derived, never typed."""
    if isinstance(node, list):
        for v in node:
            _follow_refs(v, root)
    elif isinstance(node, dict):
        if isinstance(node.get("ref"), str) and "value" not in node:
            target = _lookup(root, node["ref"])
            node["value"] = target["value"] * (len(_lookup(root, node["per"])) if "per" in node else 1)
            if "unit" in target:
                node.setdefault("unit", target["unit"])
            for key in ("bound",):
                if key in target:
                    node.setdefault(key, target[key])
        for v in node.values():
            _follow_refs(v, root)


def policy(day: dt.date | None = None, *, literal: bool = False) -> Rules:
    """The parameters in force on `day` (None: the text as it stands), shared and cached:
    never change the result (copy it first)."""
    return _view(day, literal)


def document(number: str, day: dt.date | None = None) -> dict:
    """The controlled document a calculator applies, as cited in its output: the version
    in force on `day`, or, before its first version takes effect, that version marked as
    not yet in force; with no day, the latest release."""
    title = _source()["documents"][number]["title"]
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


def condition_text(section: str, condition: dict, rules: Rules | None = None) -> str:
    """A condition's text with {parameter} references filled in from its section (of the
    rules given, or of the text as it stands)."""
    params = (rules if rules is not None else policy())[section]
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
