"""A polars String column's own buffers, borrowed through the Arrow C data interface.

The character UNF hashes every value's UTF-8 bytes followed by a terminator. Getting those bytes
out of polars costs a CSV write (which waits for polars' thread pool, busy with the check's own
reading) or a Python string per value; the compiled loops (kernels.py) read them in place instead.
polars exports a String chunk as an Arrow string view array (format `vu`, C data interface):

- buffer 1: one 16-byte view per value: its length (int32), then either the value itself (12
  bytes at most) or its first 4 bytes, the index of the data buffer that holds it and its offset
  there (three int32);
- buffers 2 to k+1: the data buffers; buffer k+2: their sizes (int64).

The buffers stay polars' own: they are valid inside `string_views` only, then released as the
interface requires. Any other layout gives None (the callers then take their polars path).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import polars as pl


class _Schema(ctypes.Structure):
    pass


_Schema._fields_ = [
    ("format", ctypes.c_char_p),
    ("name", ctypes.c_char_p),
    ("metadata", ctypes.c_char_p),
    ("flags", ctypes.c_int64),
    ("n_children", ctypes.c_int64),
    ("children", ctypes.POINTER(ctypes.POINTER(_Schema))),
    ("dictionary", ctypes.POINTER(_Schema)),
    ("release", ctypes.CFUNCTYPE(None, ctypes.POINTER(_Schema))),
    ("private_data", ctypes.c_void_p),
]


class _Array(ctypes.Structure):
    pass


_Array._fields_ = [
    ("length", ctypes.c_int64),
    ("null_count", ctypes.c_int64),
    ("offset", ctypes.c_int64),
    ("n_buffers", ctypes.c_int64),
    ("n_children", ctypes.c_int64),
    ("buffers", ctypes.POINTER(ctypes.c_void_p)),
    ("children", ctypes.POINTER(ctypes.POINTER(_Array))),
    ("dictionary", ctypes.POINTER(_Array)),
    ("release", ctypes.CFUNCTYPE(None, ctypes.POINTER(_Array))),
    ("private_data", ctypes.c_void_p),
]

_VIEW = 16  # bytes per view
_NO_BYTES = np.zeros(0, dtype=np.uint8)


@dataclass
class StringViews:
    """One chunk's views as int32 rows (length, inline bytes or prefix, buffer, offset), its data
    buffers end to end and where each starts."""

    views: np.ndarray  # (n, 4) int32
    data: np.ndarray  # uint8
    starts: np.ndarray  # int64, one per data buffer


class _Memory:
    """Foreign memory seen by numpy (the array interface): no ctypes array type per buffer."""

    def __init__(self, address: int, count: int, typestr: str):
        self.__array_interface__ = {
            "data": (address, True),
            "shape": (count,),
            "typestr": typestr,
            "version": 3,
        }


def _borrow(address: int | None, count: int, dtype: np.dtype) -> np.ndarray:
    if not count:
        return np.zeros(0, dtype=dtype)
    assert address, "a buffer the interface promised"
    return np.asarray(_Memory(address, count, dtype.str))


_INT32, _INT64, _UINT8 = np.dtype("<i4"), np.dtype("<i8"), np.dtype("u1")


@contextmanager
def string_views(values: pl.Series) -> Iterator[list[StringViews] | None]:
    """The chunks of a String series without nulls, each as StringViews, borrowed for the block;
    None when the series has nulls or polars exports another layout."""
    if values.dtype != pl.String or values.null_count():
        yield None
        return
    exported: list[tuple[_Array, _Schema]] = []
    chunks: list[StringViews] = []
    try:
        for chunk in values.get_chunks():
            array, schema = _Array(), _Schema()
            chunk._export_arrow_to_c(ctypes.addressof(array), ctypes.addressof(schema))
            exported.append((array, schema))
            if schema.format != b"vu" or array.n_buffers < 3:
                break
            n, buffers = array.length, array.buffers
            views = _borrow(buffers[1], 4 * (array.offset + n), _INT32).reshape(-1, 4)[array.offset :]
            k = array.n_buffers - 3
            sizes = _borrow(buffers[array.n_buffers - 1], k, _INT64)
            parts = [_borrow(buffers[2 + i], int(sizes[i]), _UINT8) for i in range(k)]
            data = parts[0] if k == 1 else (np.concatenate(parts) if k else _NO_BYTES)
            starts = np.zeros(max(k, 1), dtype=np.int64)
            if k > 1:
                starts[1:] = np.cumsum(sizes[:-1])
            chunks.append(StringViews(views, data, starts))
        yield chunks if len(chunks) == len(exported) else None
    finally:
        for array, schema in exported:
            if array.release:
                array.release(ctypes.byref(array))
            if schema.release:
                schema.release(ctypes.byref(schema))
