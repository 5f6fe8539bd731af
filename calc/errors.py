"""Bad input: one line in Chinese that names the field by its Chinese title. The JSON path
of the field (`field`, e.g. customers[3].score) travels beside the message, for the page
to mark the input; it is never part of what staff read."""

import json
import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def shown_value(value) -> str:
    """A value the user gave, quoted as JSON (line breaks escaped) and shortened, so a
    message stays one readable line; a lone surrogate is escaped so it can be printed."""
    # Only the start is shown: never serialise a whole huge list or text to quote it.
    if isinstance(value, (list, str)):
        value = value[:41]
    elif isinstance(value, dict):
        value = dict(list(value.items())[:41])
    try:
        text = json.dumps(value, ensure_ascii=False)
    except ValueError:  # an integer of thousands of digits
        return "（位数过多的数字）"
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text if len(text) <= 40 else text[:37] + "..."


class InputError(ValueError):
    """Bad input: `where` is the field's Chinese title (with its place in a list, e.g.
    参评客户第 2 项的总分); the message reads 「where：message」."""

    def __init__(self, field: str | None, message: str, where: str | None = None):
        self.field, self.where, self.message = field, where, message
        super().__init__(f"{where}：{message}" if where else message)


TOO_BIG = "输入过大或过于复杂，无法计算"


def guarded(work, refuse, *, too_big: InputError | None = None, bug=None):
    """work(), with what goes wrong answered instead of raised, the same way on every way
    in (the page's run_json, run_upload, run_form; the command line): bad input goes to
    refuse(error); input too large or too deep for the stack or memory to refuse as
    `too_big` (TOO_BIG, about the whole input, unless told otherwise); a bug to bug() when
    given (the page: one Chinese line, never a traceback), else it propagates."""
    try:
        return work()
    except InputError as e:
        return refuse(e)
    except (RecursionError, MemoryError):
        return refuse(too_big or InputError(None, TOO_BIG))
    except Exception:
        if bug is None:
            raise
        return bug()
