"""The one Jinja environment for the HTML the build writes into pages
(overrides/partials/, beside Material's own template overrides)."""

from pathlib import Path

import jinja2

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent.parent / "overrides" / "partials"),
    autoescape=True, trim_blocks=True, lstrip_blocks=True)


def render(template: str, /, **context) -> str:
    return _env.get_template(template).render(**context)
