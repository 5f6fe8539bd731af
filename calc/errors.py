class InputError(ValueError):
    """Bad input: one line in Chinese naming the field and what is wrong."""

    def __init__(self, field: str | None, message: str, title: str | None = None):
        self.field = field
        label = ""
        if field is not None:
            label = f"字段 {field}" + (f"（{title}）" if title else "") + "："
        super().__init__(label + message)
