"""python -m calc --list | NAME [--input FILE] | NAME --schema

Exit 0 with one JSON object on standard output; bad input exits 2 with one line in
Chinese on standard error and nothing on standard output; a result that cannot be written
(standard output closed, a full disk, a closed pipe) exits 1 with one line on standard
error. Input is UTF-8 JSON (a BOM is allowed) of at most MAX_INPUT_CHARS characters, from
standard input or a regular file (--input: a pipe or device is refused, never waited on);
lists and texts are limited as calc.schema says."""

import errno
import json
import os
import stat
import sys

from calc.command_line import Parser
from calc.errors import InputError, guarded
from calc.registry import MAX_INPUT_CHARS, get, listing, parse, run
from calc.schema import MAX_DEPTH, MAX_ITEMS, MAX_STRING

LIMITS = (f"输入限制：JSON 最多 {MAX_INPUT_CHARS:,} 个字符、嵌套最多 {MAX_DEPTH} 层；"
          f"每个列表最多 {MAX_ITEMS:,} 项；每段文字最多 {MAX_STRING:,} 个字符。")


class _Parser(Parser):
    def error(self, message):
        raise InputError(None, f"命令行参数错误：{message}（用法见 python -m calc --help）")


class OutputError(OSError):
    """The result could not be written: the message says why, in Chinese."""


_WRITE_PROBLEMS = {errno.ENOSPC: "磁盘已满", errno.EPIPE: "读取输出的一方已关闭", errno.EBADF: "标准输出已关闭"}


def _emit(obj) -> None:
    text = json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if sys.stdout is None:
        raise OutputError("标准输出已关闭")
    try:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    except OSError as e:
        raise OutputError(_WRITE_PROBLEMS.get(e.errno, f"写入失败（错误号 {e.errno}）")) from None


def _say(line: str) -> None:
    """One line on standard error, if there is one to write to."""
    try:
        sys.stderr.buffer.write(f"{line}\n".encode("utf-8", "backslashreplace"))
        sys.stderr.flush()
    except (OSError, AttributeError, ValueError):
        pass


def _drop_stdout() -> None:
    """After a failed write: point standard output at /dev/null, so that Python's own
    flush at exit neither fails again nor prints a traceback."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    except OSError:
        pass


def _decode(data: bytes, source: str) -> str:
    if len(data) > MAX_INPUT_CHARS * 4:  # four UTF-8 bytes at most per character
        raise InputError(None, f"{source}过大：最多 {MAX_INPUT_CHARS:,} 个字符")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(None, f"{source}不是 UTF-8 编码（第 {e.start + 1} 个字节处有误）") from None


def _read_file(path: str) -> str:
    shown = json.dumps(path, ensure_ascii=False)
    try:
        # Non-blocking: opening a named pipe nobody writes to would otherwise wait forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with open(fd, "rb") as f:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError
            if not stat.S_ISREG(mode):
                what = "命名管道" if stat.S_ISFIFO(mode) else "设备或套接字"
                raise InputError(None, f"无法读取输入文件 {shown}：这是{what}，不是普通文件"
                                       "（请给出 JSON 文件，或从标准输入传入：python -m calc 名称 < 文件）")
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


def _refused(e: InputError) -> int:
    _say(str(e))
    return 2


def main(argv=None) -> int:
    parser = _Parser(prog="python -m calc", description="手册计算器", epilog=LIMITS)
    parser.add_argument("name", nargs="?", metavar="名称", help="计算器名称（见 --list）")
    parser.add_argument("--list", action="store_true", help="列出全部计算器")
    parser.add_argument("--schema", action="store_true", help="输出输入的 JSON Schema")
    parser.add_argument("--input", metavar="文件", help="输入 JSON 文件（默认读标准输入）")

    def work() -> int:
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
        elif sys.stdin is None:
            raise InputError(None, "标准输入已关闭：请用 --input 给出输入文件，或从标准输入传入 JSON")
        else:
            text = _decode(sys.stdin.buffer.read(MAX_INPUT_CHARS * 4 + 1), "标准输入")
        _emit(run(args.name, parse(text)))
        return 0

    try:
        return guarded(work, _refused)   # a bug is not hidden here: its traceback shows
    except OutputError as e:
        _drop_stdout()
        _say(f"无法写出结果：{e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
