import json
import re

_PLAIN = re.compile(r"^[\w.\[\]-]{1,60}$")


def shown_value(value) -> str:
    """A value the user gave, quoted as JSON (line breaks escaped) and shortened, so a
    message stays one readable line."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def shown_field(field: str) -> str:
    """A field name as typed, or quoted when it holds spaces, line breaks or is very long."""
    return field if _PLAIN.fullmatch(field) else shown_value(field)


class InputError(ValueError):
    """Bad input: one line in Chinese naming the field and what is wrong."""

    def __init__(self, field: str | None, message: str, title: str | None = None):
        self.field = field
        label = ""
        if field is not None:
            label = f"字段 {shown_field(field)}" + (f"（{title}）" if title else "") + "："
        super().__init__(label + message)
