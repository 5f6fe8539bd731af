"""python -m calc --list | NAME [--input FILE] | NAME --schema

Exit 0 with one JSON object on standard output; bad input exits 2 with one line in
Chinese on standard error and nothing on standard output."""

import argparse
import json
import sys

from calc.errors import InputError
from calc.registry import get, listing, parse, run


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        sys.stderr.write(f"命令行参数错误：{message}\n")
        sys.exit(2)


def _emit(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def main(argv=None) -> int:
    parser = _Parser(prog="python -m calc", description="手册计算器")
    parser.add_argument("name", nargs="?", help="计算器名称")
    parser.add_argument("--list", action="store_true", help="列出全部计算器")
    parser.add_argument("--schema", action="store_true", help="输出输入的 JSON Schema")
    parser.add_argument("--input", help="输入 JSON 文件（默认读标准输入）")
    args = parser.parse_args(argv)
    try:
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
            try:
                with open(args.input, encoding="utf-8-sig") as f:
                    text = f.read()
            except (OSError, UnicodeDecodeError) as e:
                raise InputError(None, f"无法读取输入文件 {args.input}：{e}")
        else:
            text = sys.stdin.read()
        _emit(run(args.name, parse(text)))
        return 0
    except InputError as e:
        sys.stderr.write(f"{e}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
