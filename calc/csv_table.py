"""Customer lists as CSV, the way finance keeps them: read UTF-8 (with or without BOM) or
GB18030/GBK (what Excel writes on Chinese Windows), report bad rows by line number without
losing the good ones, and write results that are safe to open in a spreadsheet."""

import csv
import io

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


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and (line number, row) pairs; line numbers count the header as line 1."""
    reader = csv.reader(io.StringIO(text))
    header = None
    rows = []
    end = 0
    for row in reader:
        line, end = end + 1, reader.line_num  # a quoted cell may span lines: report the first
        if header is None:
            if not any(cell.strip() for cell in row):
                continue
            header = [h.strip() for h in row]
            continue
        if not any(cell.strip() for cell in row):
            continue
        rows.append((line, dict(zip(header, (c.strip() for c in row)))))
    return header or [], rows


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write(header: list[str], rows: list[list]) -> str:
    """CSV text with a UTF-8 BOM, so Excel on Chinese Windows opens it correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return "\ufeff" + out.getvalue()
