"""Which parameters each page prints, found while the release command renders it.

In the capture build (only there) calc.parameters' view is wrapped so that reading a
parameter's "value" is noted against the page being rendered: whatever path the text
takes to a value ({{ param() }}, a condition's {placeholder}, a table a macro builds from
calculator code), the read is seen. handbook/rule_parameters.py compares those values
with the ones at the last release."""

from collections import defaultdict

_page: str | None = None
SEEN: dict[str, set[str]] = defaultdict(set)


class _Parameter(dict):
    """A parameter's table that notes the page reading its value."""

    def __init__(self, data, path: str):
        super().__init__(data)
        self._path = path

    def __getitem__(self, key):
        if key == "value" and _page is not None:
            SEEN[_page].add(self._path)
        return super().__getitem__(key)

    def get(self, key, default=None):
        if key == "value" and _page is not None and key in self:
            SEEN[_page].add(self._path)
        return super().get(key, default)


def _tracked(node, path: tuple):
    if isinstance(node, dict):
        children = {k: _tracked(v, path + (str(k),)) for k, v in node.items()}
        if "value" in node and not isinstance(node["value"], dict):
            return _Parameter(children, ".".join(path))
        return children
    if isinstance(node, list):
        return [_tracked(v, path + (str(i),)) for i, v in enumerate(node)]
    return node


def install() -> None:
    """Wrap calc.parameters' view (a capture build only; its process ends with the build)."""
    from calc import parameters

    real = getattr(parameters._view, "untracked", parameters._view)
    cache: dict = {}

    def view(day=None, literal=False):
        if (day, literal) not in cache:
            cache[(day, literal)] = parameters.Rules(_tracked(real(day, literal), ()), day, literal)
        return cache[(day, literal)]

    def cache_clear():
        cache.clear()
        real.cache_clear()

    view.cache_clear = cache_clear
    view.untracked = real
    parameters._view = view


def begin(page_src: str | None) -> None:
    global _page
    _page = page_src


def seen(page_src: str) -> set[str]:
    return set(SEEN.get(page_src, ()))
