"""Reading the handbook's own TOML records (calendar years, reviews, controlled copies): one
Chinese line naming the file when it cannot be read, raised as the caller's error."""

import tomllib
from pathlib import Path


def read_toml(path: Path, error: type[Exception]) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise error(f"{path.name}：无法读取（{e}）") from None
