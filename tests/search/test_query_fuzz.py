"""The search query parser and the database engine that compiles its tree, given any text: a query
either runs (counted, ranked and highlighted) or is refused with ``InvalidInput`` on ``q``, never
another exception. The text is built from the grammar's own pieces (operators, quotes, parentheses,
prefixes, other scripts) and arbitrary characters, so that it reaches every repair of the parser."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrcoop.core.errors import InvalidInput
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.search import query
from hrcoop.recommendations.search.selectors import SearchParams, search

PIECES = st.sampled_from(
    [
        "(",
        ")",
        '"',
        "-",
        "NOT",
        "AND",
        "OR",
        "*",
        "torture",
        "tortur*",
        "droits",
        "حقوق",
        "人权",
        "\u201c",
        "\u00bb",
        "\x00",
        "\t",
        "'",
        "%",
        "_",
        "\\",
        ":",
        "1",
    ]
)
QUERY = st.lists(PIECES | st.text(max_size=6), max_size=60).map(" ".join) | st.text(max_size=80)


@settings(max_examples=300, deadline=None)
@given(text=QUERY)
def test_the_parser_gives_a_tree_or_a_clear_refusal(text: str) -> None:
    try:
        query.parse(text)
    except InvalidInput as exc:
        assert exc.where == "q" and exc.message


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=QUERY)
def test_the_engine_runs_any_parsed_query(corpus: dict[str, Recommendation], text: str) -> None:
    try:
        result = search(SearchParams(q=text))
    except InvalidInput as exc:
        assert exc.where == "q"
        return
    assert len(result.ids(limit=5)) <= min(5, result.count)
    result.highlight(next(iter(corpus.values())).text, "en")
