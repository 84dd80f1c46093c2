"""One day of numbers for a chunk of repos, as a compressed blob.

Each column is an int64 array over the chunk's slots (-1 in likes: the repo was not listed that
day; -1 in another column: the Hub gave no value, e.g. a space's downloads),
byte-shuffled (all first bytes, then all second bytes, ...) so the many zero high bytes compress
away, then zlib-compressed. Measured on replica data: about 2 bytes per repo-day for four columns.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

COLUMNS = ("likes", "downloads", "downloads_all_time", "trending_score")
VERSION = 1
_HEADER = struct.Struct("<BBH")  # version, number of columns, number of slots


def encode(columns: dict[str, np.ndarray]) -> bytes:
    arrays = [np.ascontiguousarray(columns[name], dtype="<i8") for name in COLUMNS]
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        raise ValueError("all columns of a chunk must have the same length")
    raw = b"".join(a.view(np.uint8).reshape(n, 8).T.tobytes() for a in arrays)
    return _HEADER.pack(VERSION, len(arrays), n) + zlib.compress(raw, 6)


def decode(payload: bytes) -> dict[str, np.ndarray]:
    version, ncols, n = _HEADER.unpack_from(payload)
    if version != VERSION or ncols != len(COLUMNS):
        raise ValueError(f"unknown snapshot payload (version {version}, {ncols} columns)")
    raw = np.frombuffer(zlib.decompress(payload[_HEADER.size :]), dtype=np.uint8)
    out = {}
    for k, name in enumerate(COLUMNS):
        block = raw[k * n * 8 : (k + 1) * n * 8].reshape(8, n)
        out[name] = np.ascontiguousarray(block.T).view("<i8").reshape(n)
    return out
