"""Byte counts of large buffers with numpy, which releases the interpreter lock.

Bytes methods (`count`, a regular expression's search) hold the lock for the whole buffer: on
megabyte chunks read in threads side by side, they run one at a time. Below LARGE bytes they stay
(numpy's fixed cost would dominate); both give the same answers (tests/test_scan_bytes.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

LARGE = 1 << 16
BLOCK = 1 << 20  # bytes compared at a time: the masks stay small (two threads count side by side)
_LF, _CR = ord("\n"), ord("\r")
_HIGH = bytes(range(128, 256))


def count_in(a: np.ndarray, value: int) -> int:
    """How many bytes of `a` (uint8) equal `value`, a block at a time."""
    import numpy as np

    return sum(int(np.count_nonzero(a[i : i + BLOCK] == value)) for i in range(0, len(a), BLOCK))


def high_in(a: np.ndarray) -> int:
    """How many bytes of `a` (uint8) are 0x80 or above, a block at a time."""
    import numpy as np

    return sum(int(np.count_nonzero(a[i : i + BLOCK] >= 0x80)) for i in range(0, len(a), BLOCK))


def pair_in(a: np.ndarray, first: int, second: int) -> int:
    """How many times `first` is followed by `second` in `a` (uint8), a block at a time."""
    import numpy as np

    n = 0
    for i in range(0, max(len(a) - 1, 0), BLOCK):
        seg = a[i : i + BLOCK + 1]
        n += int(np.count_nonzero((seg[:-1] == first) & (seg[1:] == second)))
    return n


def count(data: bytes, byte: int) -> int:
    """data.count(bytes([byte]))."""
    if len(data) < LARGE:
        return data.count(bytes([byte]))
    import numpy as np

    return count_in(np.frombuffer(data, dtype=np.uint8), byte)


def high(data: bytes) -> int:
    """How many bytes are 0x80 or above."""
    if len(data) < LARGE:
        return len(data) - len(data.translate(None, _HIGH))
    import numpy as np

    return high_in(np.frombuffer(data, dtype=np.uint8))


def lone_cr(data: bytes) -> bool:
    """Whether a CR stands without a LF after it."""
    if b"\r" not in data:
        return False
    if len(data) < LARGE:
        return b"\r" in data.replace(b"\r\n", b"")
    import numpy as np

    a = np.frombuffer(data, dtype=np.uint8)
    return bool(a[-1] == _CR or count_in(a, _CR) != pair_in(a, _CR, _LF))
