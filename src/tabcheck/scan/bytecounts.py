"""Byte counts of large buffers with numpy, which releases the interpreter lock.

Bytes methods (`count`, a regular expression's search) hold the lock for the whole buffer: on
megabyte chunks read in threads side by side, they run one at a time. Below LARGE bytes they stay
(numpy's fixed cost would dominate); both give the same answers (tests/test_scan_bytes.py).
"""

from __future__ import annotations

LARGE = 1 << 16
_LF, _CR = ord("\n"), ord("\r")


def count(data: bytes, byte: int) -> int:
    """data.count(bytes([byte]))."""
    if len(data) < LARGE:
        return data.count(bytes([byte]))
    import numpy as np

    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == byte))


def high(data: bytes) -> int:
    """How many bytes are 0x80 or above."""
    if len(data) < LARGE:
        return len(data) - len(data.translate(None, bytes(range(128, 256))))
    import numpy as np

    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) >= 0x80))


def lone_cr(data: bytes) -> bool:
    """Whether a CR stands without a LF after it."""
    if b"\r" not in data:
        return False
    if len(data) < LARGE:
        return b"\r" in data.replace(b"\r\n", b"")
    import numpy as np

    a = np.frombuffer(data, dtype=np.uint8)
    crs = np.flatnonzero(a == _CR)
    return bool(crs[-1] == len(a) - 1 or (a[crs + 1] != _LF).any())
