"""The test layers, by what a test needs: every test carries exactly one layer marker, and
the layers together are the suite (a collection check fails the run otherwise).

Hooks imported by tests/conftest.py; kept here so the check can be tested on its own."""

import pytest

# Name -> what a test of the layer needs; registered as markers below (`--strict-markers`).
LAYERS = {
    "cpython": "needs neither Node nor a browser: the calculators and the build code in this "
               "CPython, the release command's capture build (make test-fast, make mutation)",
    "build": "the full site build, whose calculators' runtime needs Node for the Pyodide "
             "snapshot; runs no calculator in Pyodide and no browser",
    "pyodide": "the built wheel in Pyodide under Node.js (builds the site)",
    "chromium": "the built site in Debian's chromium (builds the site)",
}

# The fixtures that decide a layer: a test that uses one belongs to that layer, whatever
# else it does (the first match wins: a browser test also uses the built site).
FIXTURE_LAYERS = (
    ({"browser", "page", "page_without_service_worker"}, "chromium"),
    ({"node_pyodide"}, "pyodide"),
    ({"site"}, "build"),
)


def pytest_configure(config):
    for name, needs in LAYERS.items():
        config.addinivalue_line("markers", f"{name}: {needs}")


def layer_problems(item) -> list[str]:
    """What is wrong with a collected test's layer (empty: nothing)."""
    layers = sorted({m.name for m in item.iter_markers() if m.name in LAYERS})
    if not layers:
        return [f"{item.nodeid}: no layer marker (one of {', '.join(LAYERS)})"]
    if len(layers) > 1:
        return [f"{item.nodeid}: more than one layer marker ({', '.join(layers)})"]
    fixtures = set(getattr(item, "fixturenames", ()))
    for names, layer in FIXTURE_LAYERS:
        used = sorted(fixtures & names)
        if used:
            if layers[0] != layer:
                return [f"{item.nodeid}: marked {layers[0]} but uses the fixture {used[0]}, "
                        f"which makes it a {layer} test"]
            break
    return []


@pytest.hookimpl(tryfirst=True)  # before `-m` and `-k` deselect: every collected test is checked
def pytest_collection_modifyitems(items):
    problems = [p for item in items for p in layer_problems(item)]
    if problems:
        raise pytest.UsageError("layer check (tests/layers.py): every test carries exactly one layer marker\n"
                                + "\n".join(problems))
