"""Numbers typed into a chapter that the parameter file already holds. Every threshold,
deadline, discount or fine the text states must come from calc/policy.toml through
{{ param(...) }}, so that a change there changes the text too."""

import re

_UNITS = "个工作日|工作日|个月|小时|分钟|天|日|月|年|元|次|人|%|％"
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# A Chinese numeral after 上/下/每/第/同/这/那/前/后/某 is a word (上一年度, 每一次), not a figure.
_NUMBER = re.compile(rf"(?<![上下每第同这那前后某])(\d+(?:\.\d+)?|[一二两三四五六七八九十]{{1,3}})\s*({_UNITS})")
_STRIP = [                                      # (the front matter is cut off first)
    re.compile(r"\{\{.*?\}\}", re.S),            # macros (param(...) and friends)
    re.compile(r"\{%.*?%\}", re.S),
    re.compile(r"\{:?\s*#[^}]*\}"),              # anchors
    re.compile(r"^#{1,6} .*$", re.M),            # headings (第一条 …)
]


def _value(text: str) -> float | None:
    if text[0].isdigit():
        return float(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN.get(tens, 1) * 10 + (_CN.get(ones, 0) if ones else 0)
    return _CN.get(text) if len(text) == 1 else None


def _unit(unit: str) -> str:
    # 3个月 (three months) and 3月 (March), 1天 (one day) and 1日 (the first) differ.
    return {"％": "%", "个工作日": "工作日"}.get(unit, unit)


def parameters(node, path="") -> list[tuple[str, float, str]]:
    """(path, value, unit) of every numeric parameter in the policy tree."""
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("value"), (int, float)) and not isinstance(node.get("value"), bool) \
                and node.get("unit"):
            found.append((path, float(node["value"]), _unit(node["unit"])))
        for k, v in node.items():
            found += parameters(v, f"{path}.{k}" if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += parameters(v, f"{path}[{i}]")
    return found


def typed_parameters(markdown: str, policy: dict) -> list[str]:
    from handbook.documents import split_front_matter

    text = split_front_matter(markdown)[1]
    for pattern in _STRIP:
        text = pattern.sub(" ", text)
    known = {}
    for path, value, unit in parameters(policy):
        known.setdefault((value, unit), path)
    problems = []
    for m in _NUMBER.finditer(text):
        value = _value(m.group(1))
        key = (value, _unit(m.group(2)))
        if value is not None and key in known:
            problems.append(f"“{m.group(0)}”应写作 {{{{ param(\"{known[key]}\") }}}}")
    return problems
