"""Customer lists as CSV, the way finance keeps them: read UTF-8 (with or without BOM) or
GB18030/GBK (what Excel writes on Chinese Windows), one row per line with its line number
(a record that spans lines is refused: it is how an unbalanced quote swallows the rest of
a file), and write results that are safe to open in a spreadsheet."""

import csv
import io
import re
from itertools import repeat
from operator import itemgetter

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


def read_rows(text: str) -> tuple[list[str], list[int], list[list[str]]]:
    """Header (names stripped), and the data rows with the line number of each (the header
    is line 1); cells as written (not stripped). Refuses (InputError, field "CSV") a file it
    cannot read as a table: no header, a header without data rows, a column named twice,
    more than MAX_ROWS rows, a cell the csv module cannot take, and a record that spans
    lines.

    A record spanning lines is what one unbalanced quote looks like: every row after it is
    read into one cell. A line break inside a quoted cell is refused for the same reason
    (no customer list needs one), so each data row is exactly one line of the file."""
    # Old Mac spreadsheets end lines with CR alone; the csv module wants LF or CRLF.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if '"' in text:
        records = _records_one_per_line(text)
    else:   # no quote, no record can span lines: record k is line k + 1
        try:
            records = list(csv.reader(io.StringIO(text)))
        except csv.Error:
            records = _records_one_per_line(text)   # raises, naming the line
    written = _written(text, records)
    if not written:
        raise InputError("CSV", "文件是空的：第一行应为表头")
    header = [h.strip() for h in records[written[0]]]
    _no_repeated_columns(header, written[0] + 1)
    data = written[1:]
    if not data:
        raise InputError("CSV", "文件只有表头，没有数据行")
    if len(data) > MAX_ROWS:
        raise InputError("CSV", f"数据行过多：最多 {MAX_ROWS:,} 行")
    if data[-1] - data[0] == len(data) - 1:   # no blank line among the rows: the usual file
        return header, list(range(data[0] + 1, data[-1] + 2)), records[data[0]:data[-1] + 1]
    return header, [k + 1 for k in data], [records[k] for k in data]


# A line that may be blank: nothing but spaces, commas and quotes (the record it is read as
# is blank when every cell is empty or spaces).
_MAYBE_BLANK = re.compile(r'^(?:[^\S\n]|[,"])*$', re.M)


def _written(text: str, records: list[list[str]]) -> list[int]:
    """The indexes of the records with something written. Record k is line k + 1 of the
    text (read_rows refuses a record that spans lines), so only the records of lines found
    by one search of the text are looked at, not each of 100,000 records."""
    blank = set()
    line, at = 0, 0
    for m in _MAYBE_BLANK.finditer(text):
        line += text.count("\n", at, m.start())
        at = m.start()
        if line < len(records) and not "".join(records[line]).strip():
            blank.add(line)
    return [k for k in range(len(records)) if k not in blank] if blank else list(range(len(records)))


def read_columns(text: str) -> tuple[list[str], list[int], list[list[str]]] | None:
    """read_rows's header and line numbers, and the data rows' cells by column, for the
    usual export: no quote, no blank line, every line with as many cells as the header.
    None for any other text (read_rows reads it). The whole text is cut at its commas at
    once (a line end kept as a cell of its own, to check that every line has as many
    cells) and each column taken as a slice: for 100,000 rows, half the time of reading
    row by row, and no list per row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if '"' in text or "\x00" in text:
        return None
    lines = text.split("\n")
    if lines[-1] == "":   # the csv module reads no record after the last line end
        lines.pop()
    width = lines[0].count(",") + 1 if lines else 0
    if not 2 <= len(lines) <= MAX_ROWS + 1 or width < 2 or max(map(len, lines)) > csv.field_size_limit():
        return None   # read_rows reads it, or names what is wrong
    cells = text.replace("\n", ",\n,").split(",")
    if text.endswith("\n"):
        del cells[-2:]
    if len(cells) != len(lines) * (width + 1) - 1 or cells[width::width + 1].count("\n") != len(lines) - 1:
        return None
    # A blank line (spaces and commas) has a blank first cell: only then is the text searched.
    first = cells[::width + 1]
    if (not all(first) or any(map(str.isspace, first))) and _MAYBE_BLANK.search(text[:-1] if text.endswith("\n") else text):
        return None
    header = [h.strip() for h in cells[:width]]
    _no_repeated_columns(header, 1)
    return header, list(range(2, len(lines) + 1)), [cells[width + 1 + k::width + 1] for k in range(width)]


def _records_one_per_line(text: str) -> list[list[str]]:
    """The records of a text with quotes, one per line (blank lines as []), or InputError
    naming the line where a record that spans lines, or cannot be read, starts. Strict: a
    quote left open at the end of the file, or text after a closing quote, is an error too."""
    reader = csv.reader(io.StringIO(text), strict=True)
    records = []
    end = 0
    try:
        for record in reader:
            line, end = end + 1, reader.line_num
            if end > line:
                raise InputError("CSV", f"第 {line} 行的引号不成对，或单元格内有换行：第 {line} 至 {end} 行被读成了同一行，"
                                 f"整个文件未读入。请检查第 {line} 行的引号（单元格内不能换行）")
            records.append(record)
    except csv.Error as e:
        line = end + 1
        # The csv module's own words (English) only choose the message.
        if "end of data" in str(e):
            cause = f"引号不成对：从第 {line} 行到文件末尾都被读成了同一个单元格，整个文件未读入。请检查第 {line} 行的引号"
        elif "expected after" in str(e):
            cause = "引号用法有误：右引号后面还有文字（单元格中的引号须写成两个引号），整个文件未读入"
        else:
            cause = f"无法读取：单元格过长（最多 {csv.field_size_limit():,} 个字符）或引号不成对"
        raise InputError("CSV", f"第 {line} 行的{cause}" if cause.startswith("引号") else f"第 {line} 行{cause}") from None
    return records


def _no_repeated_columns(header: list[str], line: int) -> None:
    seen: dict[str, int] = {}
    for col, name in enumerate(header, 1):
        key = name.lower()
        if not key:
            continue
        if key in seen:
            raise InputError("CSV", f"第 {line} 行表头中“{name}”出现了两次（第 {seen[key]} 列和第 {col} 列）")
        seen[key] = col


def text_cell(value) -> str:
    """A cell of text as csv.writer writes it (quoted when it holds a comma, a quote or a
    line break), guarded by safe_cell: for write_lines."""
    text = safe_cell(value)
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def text_cells(cells) -> list[str]:
    """text_cell for a column; a column with nothing to guard or quote (the usual one)
    as it is, found with whole-column operations."""
    cells = list(cells)
    joined = "\x00".join(cells)
    if ("," in joined or '"' in joined or "\n" in joined or "\r" in joined
            or any(map(str.startswith, cells, repeat(_FORMULA_START)))):
        return list(map(text_cell, cells))
    return cells


def write_columns(header: list[str], columns: list[list[str]], order: list[int] | None = None) -> str:
    """write()'s text from columns of cells already written as CSV (text_cell, or numbers
    and codes that need no quoting), the rows in `order` (row indexes) when given: joined
    without a writer object per cell, which for 100,000 rows of 17 columns is most of the
    time."""
    head = ",".join(text_cell(h) for h in header)
    rows = list(map(",".join, zip(*columns)))
    if order is not None and len(order) > 1:
        rows = itemgetter(*order)(rows)
    return "\r\n".join(("\ufeff" + head, *rows, ""))   # one copy of 100,000 rows, not three


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write(header: list[str], rows: list[list], text_columns: list[int] | None = None) -> str:
    """CSV text with a UTF-8 BOM, so Excel on Chinese Windows opens it correctly. Cells are
    guarded against formulas (safe_cell); with text_columns, only those columns are (the
    caller's other columns are numbers and codes it wrote itself, or it guarded them:
    100,000 rows stay fast)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    if text_columns is None:
        writer.writerows([safe_cell(c) for c in row] for row in rows)
    elif not text_columns:   # the caller guarded every cell
        writer.writerows(rows)
    else:
        for row in rows:
            row = list(row)
            for k in text_columns:
                row[k] = safe_cell(row[k])
            writer.writerow(row)
    return "\ufeff" + out.getvalue()
