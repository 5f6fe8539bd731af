"""A document's rule parameters, as released: which values of calc/policy.toml a release
states, so that the next release can tell whether they changed (reliability review N8).

A document's parameters are those whose clause belongs to it (XY-03-4-1 -> XY-03) and
those its text prints (recorded by the document macros as the text is rendered:
handbook/document_macros.py).
Each is compared by value, unit and bound; a change, a new parameter of the document or
one of its parameters removed makes the release substantive, never editorial.

The values at the last release: every release records its document's parameters in the
snapshot's header (`parameters:`), covered by the snapshot's SHA-256 and so by the chain.
Releases made before this was recorded have none; for them the values come from git: the
parameter file as committed in the first commit whose manifest lists that release. When
neither is there (no git), the change cannot be ruled out and an editorial release is
refused: release it as substantive."""

import tomllib
from pathlib import Path

COMPARED = ("value", "unit", "bound")


def flat(policy: dict) -> dict[str, dict]:
    """Every parameter (a table with a value) by its dotted path: value, unit, bound and
    the clause it belongs to (or its section's document)."""
    out: dict[str, dict] = {}

    def walk(node, path: list[str], document: str | None):
        if isinstance(node, dict):
            document = node.get("document") if isinstance(node.get("document"), str) else document
            if "value" in node and not isinstance(dict.get(node, "value"), dict):
                spec = {k: dict.get(node, k) for k in COMPARED if k in node}
                owner = dict.get(node, "clause") if isinstance(dict.get(node, "clause"), str) else None
                spec["clause"] = owner or document
                out[".".join(path)] = spec
                return
            for k, v in dict.items(node):
                if k not in ("documents", "history", "values"):
                    walk(v, path + [str(k)], document)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, path + [str(i)], document)

    walk(policy, [], None)
    return out


def owner(spec: dict) -> str:
    return (spec.get("clause") or "")[:5]


def of_document(number: str, params: dict[str, dict], printed) -> dict[str, dict]:
    """The parameters a document states: its own and those it prints."""
    printed = set(printed)
    return {path: spec for path, spec in sorted(params.items()) if owner(spec) == number or path in printed}


def resolved(source: dict) -> dict:
    """A parameter file as the text stands (the latest dated values), as the chapters
    print it: the same resolution as calc.parameters.policy() with no day set."""
    from calc import parameters

    data = {k: (parameters._resolve(v, (v.get("document") or "") if isinstance(v, dict) else "", None)
                if k != "documents" else v) for k, v in source.items()}
    parameters._follow_refs(data, data)
    return data


def shown(spec: dict | None) -> str:
    if spec is None:
        return "（无）"
    return f"{spec.get('value')}{spec.get('unit', '')}" + (f"（{spec['bound']}）" if spec.get("bound") else "")


def changes(number: str, old: dict[str, dict], new: dict[str, dict]) -> list[str]:
    """What changed in the document's rule parameters: 'path：old → new'."""
    out = []
    key = lambda spec: tuple(spec.get(k) for k in COMPARED)  # noqa: E731
    for path, spec in new.items():
        if path in old:
            if key(old[path]) != key(spec):
                out.append(f"{path}：{shown(old[path])} → {shown(spec)}")
        elif owner(spec) == number:
            out.append(f"{path}：新增 {shown(spec)}")
    for path, spec in old.items():
        if owner(spec) == number and path not in new:
            out.append(f"{path}：{shown(spec)} → 删除")
    return out


def at_release(revisions_dir: Path, rev, header: dict) -> dict[str, dict] | None:
    """The parameters in force when `rev` was released: recorded in its snapshot, or (for
    older releases) read from the parameter file as git first recorded the release; None
    when neither can be read."""
    recorded = header.get("parameters") if isinstance(header, dict) else None
    if isinstance(recorded, dict):
        return {str(k): v for k, v in recorded.items() if isinstance(v, dict)}
    from handbook import history

    commit = history.recorded_in(revisions_dir, rev.document, rev.version)
    text = history.file_at(revisions_dir, commit, "calc/policy.toml") if commit else None
    if text is None:
        return None
    try:
        return flat(resolved(tomllib.loads(text)))
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError):
        return None
