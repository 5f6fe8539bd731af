"""The memory snapshot as the site publishes it: only its pages that hold data.

Pyodide's snapshot is the whole wasm memory (30 MB), three quarters of it zero. Stored as
its non-zero 4 KB pages it is 13 MB, which a browser reads from its cache and inflates in
well under half the time (calc-worker.mjs puts the pages back into a zeroed buffer of the
full size before handing it to Pyodide).

Layout, all integers unsigned 32-bit little-endian:
  "PAGE" | format 1 | full size | page size | page count n | n page numbers | n pages
The last page may be short (the full size need not be a multiple of the page size).
"""

import struct

MAGIC = b"PAGE"
FORMAT = 1
PAGE_SIZE = 4096
_HEAD = struct.Struct("<4sIIII")


def pack(memory: bytes, page_size: int = PAGE_SIZE) -> bytes:
    zero = bytes(page_size)
    numbers, pages = [], []
    for number, start in enumerate(range(0, len(memory), page_size)):
        page = memory[start:start + page_size]
        if page != zero[:len(page)]:
            numbers.append(number)
            pages.append(page)
    return b"".join([_HEAD.pack(MAGIC, FORMAT, len(memory), page_size, len(numbers)),
                     struct.pack(f"<{len(numbers)}I", *numbers), *pages])


def unpack(packed: bytes) -> bytes:
    if len(packed) < _HEAD.size:
        raise ValueError("not a page-packed snapshot: too short")
    magic, fmt, size, page_size, count = _HEAD.unpack_from(packed)
    if magic != MAGIC or fmt != FORMAT:
        raise ValueError("not a page-packed snapshot of format 1")
    numbers = struct.unpack_from(f"<{count}I", packed, _HEAD.size)
    memory = bytearray(size)
    offset = _HEAD.size + 4 * count
    for number in numbers:
        start = number * page_size
        length = min(page_size, size - start)
        memory[start:start + length] = packed[offset:offset + length]
        offset += length
    return bytes(memory)
