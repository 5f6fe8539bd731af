"""The page-packed snapshot (handbook/snapshot_pages.py): what is packed unpacks to the very
same bytes, zero pages are left out, a short last page survives, other files are refused."""

import pytest

from handbook import snapshot_pages

pytestmark = pytest.mark.cpython

PAGE = snapshot_pages.PAGE_SIZE


@pytest.mark.parametrize("memory", [
    b"",
    bytes(3 * PAGE),                                           # all zero: no page stored
    b"\1" + bytes(PAGE - 1) + bytes(PAGE) + b"\2" * PAGE,      # data, zero, data
    bytes(2 * PAGE) + b"\3" * 144,                             # a short last page with data
    b"\4" * (PAGE + 1),                                         # one byte into the second page
])
def test_pack_then_unpack_gives_the_same_memory(memory):
    assert snapshot_pages.unpack(snapshot_pages.pack(memory)) == memory


def test_zero_pages_are_not_stored():
    memory = b"\1" * PAGE + bytes(10 * PAGE) + b"\1" * PAGE
    packed = snapshot_pages.pack(memory)
    assert len(packed) == 20 + 2 * 4 + 2 * PAGE
    assert packed[:4] == b"PAGE"


@pytest.mark.parametrize("packed", [b"", b"\0" * 4096, b"PAGE" + (2).to_bytes(4, "little") + bytes(12)])
def test_other_files_are_refused(packed):
    with pytest.raises(ValueError):
        snapshot_pages.unpack(packed)
