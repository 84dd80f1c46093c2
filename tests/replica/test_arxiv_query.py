"""arXiv's query language: what a query parses to, and the error real arXiv would answer 400 with."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from hubsight.replica.arxiv_query import QueryError, parse_arxiv_id, parse_id_list, parse_query, span


def _ts(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=UTC).timestamp())


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("cat:cs.AI", ("cat", 1)),
        ("cat:cs.*", ("cat", 0b101101111)),  # every cs. category of vocab.ARXIV_CATEGORIES
        ('ti:"deep learning"', ("text", "ti", " deep learning ")),
        ("abs:diffus*", ("text", "abs", " diffus")),  # a prefix: no closing space
        ("transformer", ("text", "all", " transformer ")),
        ("id:2611.01234v2", ("id", "2611.01234")),
        ("au:smith ANDNOT cat:cs.AI", ("andnot", ("text", "au", " smith "), ("cat", 1))),
        ("au:a au:b", ("and", ("text", "au", " a "), ("text", "au", " b "))),  # juxtaposition is AND
        ("au:a OR au:b AND au:c", ("or", ("text", "au", " a "), ("and", ("text", "au", " b "), ("text", "au", " c ")))),
        ("(au:a OR au:b) AND au:c", ("and", ("or", ("text", "au", " a "), ("text", "au", " b ")), ("text", "au", " c "))),
        (
            "submittedDate:[20261101 TO 20261130]",
            ("date", "submittedDate", _ts(2026, 11, 1), _ts(2026, 12, 1) - 1),  # a day's resolution: to its last second
        ),
    ],
)
def test_a_query_parses_to_its_tree(query: str, tree: tuple) -> None:
    assert parse_query(query) == tree


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("xx:foo", "unknown field prefix 'xx'"),
        ("ti:[20260101 TO 20260102]", "a range is only allowed for submittedDate"),
        ("submittedDate:2026", "needs a range like"),
        ("submittedDate:[20261130 TO 20261101]", "empty submittedDate range"),
        ("submittedDate:[20261340 TO 20261401]", "invalid date 20261340"),
        ("(au:a", "unbalanced parentheses"),
        ("au:a)", "unbalanced parentheses"),
        ("au:a AND", "expected a term, got the end of the query"),
        ('ti:"', "malformed query near"),
        ("ti:*", "empty search term"),
    ],
)
def test_a_malformed_query_says_what_is_wrong(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        parse_query(query)


def test_ids_and_the_date_span_a_query_can_match() -> None:
    assert parse_arxiv_id(" 2611.01234v3 ") == ("2611.01234", 3) and parse_arxiv_id("2611.01234") == ("2611.01234", 0)
    assert parse_arxiv_id("not-an-id") is None
    assert parse_id_list(["2611.01234", "", "hep-th/9901001v1"]) == [("2611.01234", 0)]  # old-style ids: no such paper
    with pytest.raises(QueryError, match=re.escape("incorrect id format for 26.1")):
        parse_id_list(["26.1"])
    lo, hi = _ts(2026, 11, 1), _ts(2026, 12, 1) - 1
    assert span(parse_query("cat:cs.AI AND submittedDate:[20261101 TO 20261130]")) == (lo, hi)
    assert span(parse_query("cat:cs.AI OR submittedDate:[20261101 TO 20261130]")) == (None, None)
    assert span(parse_query("lastUpdatedDate:[20261101 TO 20261130]")) == (None, hi)  # updated later than submitted
