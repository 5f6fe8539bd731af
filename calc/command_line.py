"""Command-line arguments read and explained in Chinese (`python -m calc`, `python -m
handbook`): argparse's own words (usage, option headings, its error messages) come from
gettext, so they are looked up in a small Chinese table while a parser is built, asked
for help or parses. Anything not in the table stays as argparse wrote it."""

import argparse
import contextlib
import sys

_WORDS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r",
    "one of the arguments %s is required": "须给出参数 %s 之一",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值 %(value)r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "unexpected option string: %s": "意外的选项 %s",
}
_PLURAL = {"expected %s argument": "需要 %s 个值", "conflicting option string: %s": "选项冲突：%s"}


def _gettext(message: str) -> str:
    return _WORDS.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _PLURAL.get(singular, singular if n == 1 else plural)


@contextlib.contextmanager
def chinese():
    """argparse speaks Chinese inside this block (its module-level gettext names are
    swapped, then restored)."""
    saved = {name: getattr(argparse, name) for name in ("_", "ngettext") if hasattr(argparse, name)}
    argparse._, argparse.ngettext = _gettext, _ngettext
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(argparse, name, value)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are in Chinese. An error is one line on
    standard error, exit code 2 (the command line's convention for bad input)."""

    def __init__(self, *args, **kwargs):
        with chinese():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs):
        with chinese():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args=None, namespace=None):
        with chinese():
            return super().parse_args(args, namespace)

    def format_help(self):
        with chinese():
            return super().format_help()

    def format_usage(self):
        with chinese():
            return super().format_usage()

    def _print_message(self, message, file=None):
        # UTF-8 whatever the terminal's locale says (help is Chinese); nothing if closed.
        if not message:
            return
        file = file or sys.stderr
        with contextlib.suppress(OSError, ValueError, AttributeError):
            file.flush()
            file.buffer.write(message.encode("utf-8"))
            file.buffer.flush()

    def error(self, message):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.buffer.write(f"命令行参数错误：{message}（用法见 {self.prog} --help）\n".encode("utf-8"))
            sys.stderr.flush()
        sys.exit(2)
