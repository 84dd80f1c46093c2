"""Day blobs: a chunk's numbers come back exactly as written, and a blob that is not one is refused."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest

from hubsight.store import codec

INT64 = np.iinfo(np.int64)


def chunk(*columns: list[int]) -> dict[str, np.ndarray]:
    return {name: np.array(values, dtype=np.int64) for name, values in zip(codec.COLUMNS, columns, strict=True)}


@pytest.mark.parametrize(
    "columns",
    [
        pytest.param(chunk([], [], [], []), id="empty-chunk"),
        pytest.param(chunk([5], [0], [12], [3]), id="one-slot"),
        pytest.param(chunk([-1, 7], [-1, -1], [-1, 9], [-1, 0]), id="not-listed-and-no-value"),
        pytest.param(chunk([INT64.max, INT64.min], [0, 1], [2**40, 2**53 + 1], [-(2**31), 2**31]), id="int64-extremes"),
        pytest.param(chunk(*(list(range(k, k + 4096)) for k in range(4))), id="a-full-4096-chunk"),
        pytest.param({n: [1, 2, 3] for n in codec.COLUMNS}, id="plain-lists-of-ints"),
    ],
)
def test_a_chunk_round_trips_exactly(columns: dict) -> None:
    back = codec.decode(codec.encode(columns))
    assert list(back) == list(codec.COLUMNS)
    for name in codec.COLUMNS:
        assert back[name].dtype == np.int64 and back[name].tolist() == list(columns[name]), name


def test_extra_columns_are_not_stored() -> None:
    columns = {**chunk([1], [2], [3], [4]), "stars": np.array([99])}
    assert set(codec.decode(codec.encode(columns))) == set(codec.COLUMNS)


def test_many_quiet_repos_compress_to_a_few_bytes_each() -> None:
    rng = np.random.default_rng(0)
    n = 4096
    columns = {name: rng.integers(0, 300, n) for name in codec.COLUMNS}
    assert len(codec.encode(columns)) < 4 * n * 8 / 4, "small numbers lose their zero high bytes"


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        pytest.param({n: np.arange(3) for n in codec.COLUMNS[:-1]}, "trending_score", id="a-column-missing"),
        pytest.param({**chunk([1, 2], [1, 2], [1, 2], [1, 2]), "likes": np.arange(3)}, "same length", id="ragged-columns"),
        pytest.param({**chunk([1], [1], [1], [1]), "downloads": np.array([1.5])}, "downloads", id="fractional-numbers"),
        pytest.param({**chunk([1], [1], [1], [1]), "likes": np.array([np.nan])}, "likes", id="nan"),
        pytest.param({n: np.zeros(70_000, dtype=np.int64) for n in codec.COLUMNS}, "65535", id="more-slots-than-a-blob-holds"),
    ],
)
def test_encode_refuses_what_it_could_not_give_back(columns: dict, message: str) -> None:
    with pytest.raises((ValueError, KeyError), match=message):
        codec.encode(columns)


GOOD = codec.encode(chunk([1, 2, 3], [4, 5, 6], [7, 8, 9], [0, 0, 0]))


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"", id="empty"),
        pytest.param(GOOD[:2], id="cut-inside-the-header"),
        pytest.param(GOOD[:-3], id="cut-inside-the-data"),
        pytest.param(GOOD[:4] + b"not zlib at all", id="garbage-data"),
        pytest.param(struct.pack("<BBH", 2, 4, 3) + GOOD[4:], id="unknown-version"),
        pytest.param(struct.pack("<BBH", 1, 3, 3) + GOOD[4:], id="wrong-number-of-columns"),
        pytest.param(struct.pack("<BBH", 1, 4, 2) + GOOD[4:], id="header-says-fewer-slots"),
        pytest.param(struct.pack("<BBH", 1, 4, 5) + GOOD[4:], id="header-says-more-slots"),
        pytest.param(struct.pack("<BBH", 1, 4, 3) + zlib.compress(b"\0" * 95), id="data-a-byte-short"),
    ],
)
def test_decode_refuses_a_blob_that_is_not_a_chunk(payload: bytes) -> None:
    with pytest.raises(ValueError, match="snapshot payload"):
        codec.decode(payload)
