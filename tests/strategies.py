"""Hypothesis strategies drawn from a calculator's own JSON Schema: valid inputs, inputs
one mistake away from valid, and arbitrary JSON."""

from hypothesis import strategies as st

JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                         st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8))
ANY_JSON = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)), max_leaves=12)


def _types(prop: dict) -> list[str]:
    t = prop.get("type", [])
    return [t] if isinstance(t, str) else list(t)


def value(prop: dict) -> st.SearchStrategy:
    if "oneOf" in prop:
        return st.one_of([value(alt) for alt in prop["oneOf"]])
    if "enum" in prop:
        return st.sampled_from(prop["enum"])
    options = []
    for t in _types(prop):
        lo, hi = prop.get("minimum", -10**9), prop.get("maximum", 10**9)
        if t == "null":
            options.append(st.none())
        elif t == "integer":
            options.append(st.integers(int(lo), int(hi)))
        elif t == "number" and "multipleOf" in prop:
            step = prop["multipleOf"]
            options.append(st.integers(int(lo / step), int(min(hi, 10**9) / step)).map(lambda n, s=step: round(n * s, 2)))
            options.append(st.floats(lo, hi, allow_nan=False, allow_infinity=False))
        elif t == "number":
            options.append(st.one_of(st.integers(int(lo), int(min(hi, 10**9))),
                                     st.floats(lo, hi, allow_nan=False, allow_infinity=False)))
        elif t == "boolean":
            options.append(st.booleans())
        elif t == "string":
            if prop.get("format") == "date":
                options.append(st.dates().map(lambda d: d.isoformat()))
            else:
                options.append(st.text(min_size=prop.get("minLength", 0), max_size=12))
        elif t == "array":
            items = prop.get("items", {})
            options.append(st.lists(value(items), max_size=prop.get("x-max-examples", 8),
                                    unique_by=(repr if prop.get("uniqueItems") else None)))
        elif t == "object":
            options.append(valid(prop))
    return st.one_of(options)


def valid(schema: dict) -> st.SearchStrategy:
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    return st.fixed_dictionaries(
        {k: value(p) for k, p in props.items() if k in required},
        optional={k: value(p) for k, p in props.items() if k not in required})


@st.composite
def one_mistake(draw, schema: dict):
    data = draw(valid(schema))
    props = list(schema.get("properties", {}))
    kind = draw(st.sampled_from(["drop", "extra", "wrong"]))
    if kind == "drop" and data:
        data.pop(draw(st.sampled_from(sorted(data))))
    elif kind == "extra":
        data[draw(st.text(min_size=1, max_size=6))] = draw(JSON_SCALARS)
    elif props:
        data[draw(st.sampled_from(props))] = draw(ANY_JSON)
    return data


def inputs(schema: dict) -> st.SearchStrategy:
    return st.one_of(valid(schema), one_mistake(schema), ANY_JSON)
