"""python -m calc --list | NAME [--input FILE] | NAME --schema

Exit 0 with one JSON object on standard output; bad input exits 2 with one line in
Chinese on standard error and nothing on standard output. Input is UTF-8 JSON (a BOM is
allowed) of at most MAX_INPUT_CHARS characters; lists and texts are limited as calc.schema
says."""

import argparse
import json
import sys

from calc.errors import InputError
from calc.registry import MAX_INPUT_CHARS, get, listing, parse, run
from calc.schema import MAX_DEPTH, MAX_ITEMS, MAX_STRING

LIMITS = (f"输入限制：JSON 最多 {MAX_INPUT_CHARS:,} 个字符、嵌套最多 {MAX_DEPTH} 层；"
          f"每个列表最多 {MAX_ITEMS:,} 项；每段文字最多 {MAX_STRING:,} 个字符。")


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise InputError(None, "命令行参数错误，用法见 python -m calc --help")


def _emit(obj) -> None:
    text = json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _decode(data: bytes, source: str) -> str:
    if len(data) > MAX_INPUT_CHARS * 4:  # four UTF-8 bytes at most per character
        raise InputError(None, f"{source}过大：最多 {MAX_INPUT_CHARS:,} 个字符")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(None, f"{source}不是 UTF-8 编码（第 {e.start + 1} 个字节处有误）") from None


def _read_file(path: str) -> str:
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_INPUT_CHARS * 4 + 1)
    except FileNotFoundError:
        raise InputError(None, f"无法读取输入文件 {json.dumps(path, ensure_ascii=False)}：文件不存在") from None
    except IsADirectoryError:
        raise InputError(None, f"无法读取输入文件 {json.dumps(path, ensure_ascii=False)}：这是一个文件夹") from None
    except PermissionError:
        raise InputError(None, f"无法读取输入文件 {json.dumps(path, ensure_ascii=False)}：没有读取权限") from None
    except OSError:
        raise InputError(None, f"无法读取输入文件 {json.dumps(path, ensure_ascii=False)}") from None
    return _decode(data, "输入文件")


def main(argv=None) -> int:
    parser = _Parser(prog="python -m calc", description="手册计算器", epilog=LIMITS)
    parser.add_argument("name", nargs="?", help="计算器名称")
    parser.add_argument("--list", action="store_true", help="列出全部计算器")
    parser.add_argument("--schema", action="store_true", help="输出输入的 JSON Schema")
    parser.add_argument("--input", help="输入 JSON 文件（默认读标准输入）")
    try:
        args = parser.parse_args(argv)
        if args.list:
            _emit(listing())
            return 0
        if not args.name:
            raise InputError(None, "请给出计算器名称，或使用 --list 查看全部")
        module = get(args.name)
        if args.schema:
            _emit(module.schema())
            return 0
        if args.input:
            text = _read_file(args.input)
        else:
            text = _decode(sys.stdin.buffer.read(MAX_INPUT_CHARS * 4 + 1), "标准输入")
        _emit(run(args.name, parse(text)))
        return 0
    except InputError as e:
        sys.stderr.buffer.write(f"{e}\n".encode("utf-8", "backslashreplace"))
        sys.stderr.flush()
        return 2
    except (RecursionError, MemoryError):
        sys.stderr.buffer.write("输入过大或过于复杂，无法计算\n".encode("utf-8"))
        return 2


if __name__ == "__main__":
    sys.exit(main())
