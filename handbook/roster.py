"""The roster (calc/company.toml): the company, its units and positions."""

from calc.parameters import company


class UnknownRole(KeyError):
    def __str__(self):
        return f"名册中没有 {self.args[0]!r}（见 calc/company.toml）"


def roster() -> dict:
    return company()


def entries() -> dict[str, dict]:
    """id -> unit or position, each with its kind ('unit' / 'position')."""
    data = roster()
    out = {}
    for kind in ("unit", "position"):
        for entry in data[kind]:
            if entry["id"] in out:
                raise ValueError(f"名册中 id 重复：{entry['id']}")
            out[entry["id"]] = {**entry, "kind_of": kind}
    return out


def names() -> dict[str, str]:
    """What chapters read as {{ org.<id> }}; 'company' is how the rules name the company."""
    return {"company": roster()["company"]["short"],
            "company_name": roster()["company"]["name"],
            **{k: v["name"] for k, v in entries().items()}}


def name(role_id: str) -> str:
    try:
        return entries()[role_id]["name"]
    except KeyError:
        raise UnknownRole(role_id) from None


def unit_of(role_id: str) -> str:
    """The unit a role belongs to (a unit is its own)."""
    entry = entries()[role_id]
    return entry["unit"] if entry["kind_of"] == "position" else role_id
