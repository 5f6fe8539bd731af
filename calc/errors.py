import json
import re

_PLAIN = re.compile(r"^[\w.\[\]-]{1,60}$")


def shown_field(field: str) -> str:
    """A field name as typed, or quoted when it holds spaces, line breaks or is very long,
    so the message stays one readable line."""
    if _PLAIN.match(field):
        return field
    text = json.dumps(field, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…\""


class InputError(ValueError):
    """Bad input: one line in Chinese naming the field and what is wrong."""

    def __init__(self, field: str | None, message: str, title: str | None = None):
        self.field = field
        label = ""
        if field is not None:
            label = f"字段 {shown_field(field)}" + (f"（{title}）" if title else "") + "："
        super().__init__(label + message)
