"""arXiv's search query language, as the replica's ``/arxiv/api/query`` understands it: a parser to a small tree.

``cat:cs.AI OR (ti:"deep learning" AND submittedDate:[202611010000 TO 202611302359])``: field prefixes
(``ti``, ``au``, ``abs``, ``co``, ``jr``, ``cat``, ``rn``, ``id``, ``all``), quoted phrases, trailing ``*``
wildcards, date ranges, AND / OR / ANDNOT and parentheses. Malformed input is a ``QueryError``, which
real arXiv answers with HTTP 400. Pure: evaluating a tree against papers is ``replica/papers.py``'s job.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hubsight.replica import vocab
from hubsight.replica.world import DAY

__all__ = ["ARXIV_ID", "FIELDS", "OLD_ARXIV_ID", "QueryError", "norm", "parse_arxiv_id", "parse_id_list", "parse_query", "span",
           "text_terms"]

ARXIV_ID = re.compile(r"^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d+))?$")
OLD_ARXIV_ID = re.compile(r"^[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?$")


class QueryError(ValueError):
    """A query real arXiv answers with HTTP 400 and an ``Error`` entry."""


def parse_arxiv_id(text: str) -> tuple[str, int] | None:
    """``2611.01234v2`` → ("2611.01234", 2); version 0 means "latest". None when malformed."""
    m = ARXIV_ID.match(text.strip())
    if not m:
        return None
    return f"{m.group(1)}{m.group(2)}.{m.group(3)}", int(m.group(4) or 0)


def parse_id_list(ids: list[str]) -> list[tuple[str, int]]:
    out = []
    for raw in ids:
        raw = raw.strip()
        if not raw:
            continue
        parsed = parse_arxiv_id(raw)
        if parsed is None:
            if OLD_ARXIV_ID.match(raw):
                continue  # a valid old-style id: real arXiv knows it, this replica has no such paper
            raise QueryError(f"incorrect id format for {raw}")
        out.append(parsed)
    return out


FIELDS = {"ti", "au", "abs", "co", "jr", "cat", "rn", "id", "all", "submittedDate", "lastUpdatedDate"}
_TOKEN = re.compile(r'\s*(?:(?P<lp>\()|(?P<rp>\))|(?:(?P<field>[A-Za-z_]+):)?(?P<value>"[^"]*"|\[[^\]]*\]|[^\s()"\[\]]+))')
_RANGE = re.compile(r"^\[\s*(\d{8}|\d{10}|\d{12}|\d{14})\s+TO\s+(\d{8}|\d{10}|\d{12}|\d{14})\s*\]$")
_RESOLUTION = {8: DAY, 10: 3600, 12: 60, 14: 1}
_OPS = {"AND", "OR", "ANDNOT"}


_NON_WORD = re.compile(r"[^a-z0-9\x01]+")


def norm(text: str) -> str:
    return " " + _NON_WORD.sub(" ", text.lower()).strip() + " "


def _bound(digits: str, upper: bool) -> int:
    fmt = "%Y%m%d%H%M%S"[: {8: 6, 10: 8, 12: 10, 14: 12}[len(digits)]]
    try:
        ts = int(datetime.strptime(digits, fmt).replace(tzinfo=UTC).timestamp())
    except ValueError:
        raise QueryError(f"invalid date {digits} in range query") from None
    return ts + _RESOLUTION[len(digits)] - 1 if upper else ts


def _term(field: str | None, value: str) -> tuple:
    field = field or "all"
    if field not in FIELDS:
        raise QueryError(f"unknown field prefix {field!r}: use one of {', '.join(sorted(FIELDS))}")
    if field in ("submittedDate", "lastUpdatedDate"):
        m = _RANGE.match(value)
        if not m:
            raise QueryError(f"{field} needs a range like [YYYYMMDDHHMM TO YYYYMMDDHHMM], got {value!r}")
        lo, hi = _bound(m.group(1), False), _bound(m.group(2), True)
        if lo > hi:
            raise QueryError(f"empty {field} range {value}")
        return ("date", field, lo, hi)
    if value.startswith("["):
        raise QueryError(f"a range is only allowed for submittedDate and lastUpdatedDate, not {field}")
    text = value[1:-1] if value.startswith('"') else value
    if field == "cat":
        rx = re.compile("^" + re.escape(text).replace(r"\*", ".*") + "$")
        return ("cat", sum(1 << k for k, c in enumerate(vocab.ARXIV_CATEGORIES) if rx.match(c)))
    if field == "id":
        parsed = parse_arxiv_id(text)
        return ("id", parsed[0] if parsed else text)
    prefix = text.endswith("*")
    phrase = norm(text.rstrip("*"))
    if not phrase.strip():
        raise QueryError(f"empty search term in {field}:{value}")
    return ("text", field, phrase[:-1] if prefix else phrase)


def parse_query(query: str) -> tuple:
    """``cat:cs.AI OR (ti:"deep learning" AND submittedDate:[... TO ...])`` → a small tree.

    OR binds loosest; AND, ANDNOT and plain juxtaposition (an implicit AND) bind tighter.
    """
    tokens: list[tuple[str, object]] = []
    pos, text = 0, query.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise QueryError(f"malformed query near {text[pos:pos + 20]!r}")
        pos = m.end()
        if m.group("lp"):
            tokens.append(("(", None))
        elif m.group("rp"):
            tokens.append((")", None))
        elif m.group("field") is None and m.group("value") in _OPS:
            tokens.append((m.group("value"), None))
        else:
            tokens.append(("term", _term(m.group("field"), m.group("value"))))
    at = 0

    def peek() -> str | None:
        return tokens[at][0] if at < len(tokens) else None

    def unary() -> tuple:
        nonlocal at
        kind = peek()
        if kind == "(":
            at += 1
            node = disjunction()
            if peek() != ")":
                raise QueryError("malformed query: unbalanced parentheses")
            at += 1
            return node
        if kind == "term":
            at += 1
            return tokens[at - 1][1]  # type: ignore[return-value]
        raise QueryError(f"malformed query: expected a term, got {kind or 'the end of the query'}")

    def conjunction() -> tuple:
        nonlocal at
        node = unary()
        while peek() in ("AND", "ANDNOT", "term", "("):
            op = peek()
            if op in ("AND", "ANDNOT"):
                at += 1
            node = ("andnot" if op == "ANDNOT" else "and", node, unary())
        return node

    def disjunction() -> tuple:
        nonlocal at
        node = conjunction()
        while peek() == "OR":
            at += 1
            node = ("or", node, conjunction())
        return node

    tree = disjunction()
    if at != len(tokens):
        raise QueryError("malformed query: unbalanced parentheses" if peek() == ")" else "malformed query")
    return tree


def span(node: tuple) -> tuple[int | None, int | None]:
    """Submission-time bounds a match must lie in, so a query only visits the days it can match."""
    kind = node[0]
    if kind == "date":
        return (node[2], node[3]) if node[1] == "submittedDate" else (None, node[3])
    if kind in ("and", "andnot"):
        a = span(node[1])
        if kind == "andnot":
            return a
        b = span(node[2])
        lo = max((x for x in (a[0], b[0]) if x is not None), default=None)
        hi = min((x for x in (a[1], b[1]) if x is not None), default=None)
        return lo, hi
    if kind == "or":
        a, b = span(node[1]), span(node[2])
        return (None if a[0] is None or b[0] is None else min(a[0], b[0]), None if a[1] is None or b[1] is None else max(a[1], b[1]))
    return None, None


def text_terms(node: tuple | None) -> list[str]:
    if node is None:
        return []
    if node[0] in ("and", "or"):
        return text_terms(node[1]) + text_terms(node[2])
    if node[0] == "andnot":
        return text_terms(node[1])
    return [node[2]] if node[0] == "text" else []
