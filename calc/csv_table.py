"""Customer lists as CSV, the way finance keeps them: read UTF-8 (with or without BOM) or
GB18030/GBK (what Excel writes on Chinese Windows), one row per line with its line number
(a record that spans lines is refused: it is how an unbalanced quote swallows the rest of
a file), and write results that are safe to open in a spreadsheet."""

import csv
import io

from calc.errors import InputError

# Documented limits: a bigger file or more rows is refused with a message naming the limit.
MAX_FILE_BYTES = 20_000_000  # 100,000 customers with all eight items and names take about 10 MB
MAX_ROWS = 100_000           # data rows, the header not counted: a whole customer base

# A cell starting with one of these is run as a formula by Excel/WPS (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Strict UTF-8 first: Chinese GBK bytes are almost never
    valid UTF-8, whereas UTF-8 bytes often decode (wrongly) as GB18030."""
    try:
        return data.decode("utf-8-sig"), ("UTF-8 (BOM)" if data.startswith(b"\xef\xbb\xbf") else "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as e:
        raise ValueError(f"无法识别文件编码（既不是 UTF-8 也不是 GB18030/GBK），第 {e.start} 字节附近有误") from None


def read_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) pairs, cells stripped; line numbers count the header
    as line 1. Refuses (InputError, field "CSV") a file it cannot read as a table: no
    header, a header without data rows, a column named twice, more than MAX_ROWS rows, a
    cell the csv module cannot take, and a record that spans lines.

    A record spanning lines is what one unbalanced quote looks like: every row after it is
    read into one cell. A line break inside a quoted cell is refused for the same reason
    (no customer list needs one), so each data row is exactly one line of the file."""
    # Old Mac spreadsheets end lines with CR alone; the csv module wants LF or CRLF.
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")))
    header = None
    rows = []
    end = 0
    try:
        for row in reader:
            line, end = end + 1, reader.line_num
            if end > line:
                raise InputError("CSV", f"第 {line} 行的引号不成对，或单元格内有换行：第 {line} 至 {end} 行被读成了同一行，"
                                 f"未分级。请检查第 {line} 行的引号（单元格内不能换行）")
            if not "".join(row).strip():
                continue
            if header is None:
                header = [h.strip() for h in row]
                _no_repeated_columns(header, line)
                continue
            if len(rows) == MAX_ROWS:
                raise InputError("CSV", f"数据行过多：最多 {MAX_ROWS:,} 行")
            rows.append((line, [c.strip() for c in row]))
    except csv.Error:
        raise InputError("CSV", f"第 {end + 1} 行无法读取：单元格过长（最多 {csv.field_size_limit():,} 个字符）"
                         "或引号不成对") from None
    if header is None:
        raise InputError("CSV", "文件是空的：第一行应为表头")
    if not rows:
        raise InputError("CSV", "文件只有表头，没有数据行")
    return header, rows


def _no_repeated_columns(header: list[str], line: int) -> None:
    seen: dict[str, int] = {}
    for col, name in enumerate(header, 1):
        key = name.lower()
        if not key:
            continue
        if key in seen:
            raise InputError("CSV", f"第 {line} 行表头中“{name}”出现了两次（第 {seen[key]} 列和第 {col} 列）")
        seen[key] = col


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write(header: list[str], rows: list[list], text_columns: list[int] | None = None) -> str:
    """CSV text with a UTF-8 BOM, so Excel on Chinese Windows opens it correctly. Cells are
    guarded against formulas (safe_cell); with text_columns, only those columns are (the
    caller's other columns are numbers and codes it wrote itself: 100,000 rows stay fast)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    if text_columns is None:
        writer.writerows([safe_cell(c) for c in row] for row in rows)
    else:
        for row in rows:
            row = list(row)
            for k in text_columns:
                row[k] = safe_cell(row[k])
            writer.writerow(row)
    return "\ufeff" + out.getvalue()
