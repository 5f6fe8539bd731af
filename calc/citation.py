"""Clause ids as people read them: XY-03-19-2 -> 'XY-03 第十九条（二）'. The calculators
write citations into their explanations with this; the site's clause labels use the same
numerals (handbook/clauses.py)."""

import re

_DIGITS = "零一二三四五六七八九"
CLAUSE_RE = re.compile(r"^(?P<doc>[A-Z]{2}-\d{2})-(?P<article>\d+)(?:-(?P<item>\d+))?$")


def chinese_number(n: int) -> str:
    """1..99 as written in article numbers: 4 -> 四, 10 -> 十, 15 -> 十五, 21 -> 二十一."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _DIGITS[tens]) + "十" if tens else "") + (_DIGITS[ones] if ones else "")


def cite(clause: str, item_mark: str | None = None) -> str:
    """'XY-03 第十九条（二）' (an item in parentheses, as explanations cite it); a lettered
    item passes its letter as item_mark."""
    m = CLAUSE_RE.match(clause)
    if not m:
        raise ValueError(f"不是条款编号：{clause}")
    text = f"{m['doc']} 第{chinese_number(int(m['article']))}条"
    if m["item"]:
        text += f"（{item_mark or chinese_number(int(m['item']))}）"
    return text
