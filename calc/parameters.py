"""The policy-parameter file, loaded once.

importlib.resources reads it from the package wherever the package lives: the source
tree, an installed wheel, or Pyodide's in-memory file system.
"""

import tomllib
from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=1)
def policy() -> dict:
    return tomllib.loads(files("calc").joinpath("policy.toml").read_text(encoding="utf-8"))


def document(number: str) -> dict:
    """The controlled document a calculator applies, as cited in its output."""
    doc = policy()["documents"][number]
    return {"document": number, "title": doc["title"], "version": doc["version"]}


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
