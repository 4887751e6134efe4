"""Pages by seek key: the API's cursors and the search page's next/previous links carry the sort key
of the row they follow, so that a deep page is found by the database skipping to that key rather
than counting rows up to an offset. Every order pages through every result exactly once, forwards
and backwards, and a cursor that was altered or belongs to another order is a 400 naming ``cursor``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hrcoop.core.api import decode_cursor, encode_cursor
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.search import views

pytestmark = pytest.mark.django_db

API = "/api/recommendations/"
SEARCH = "/recommendations/search/"
ORDERS: list[dict[str, str]] = [
    {},
    {"q": "convention OR torture OR rights OR death"},
    {"sort": "oldest"},
    {"sort": "state"},
    {"sort": "session"},
    {"sort": "recommending_state"},
    {"q": "rights OR torture", "sort": "oldest"},
]
# An offset other than 0 in any statement (the scored query keeps an "OFFSET 0" on PostgreSQL).
SKIPPING = re.compile(r"\bOFFSET\s+[1-9]")


def _ids(page: dict[str, Any]) -> list[str]:
    return [r["public_id"] for r in page["results"]]


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: "-".join(o.values()) or "default")
def test_every_order_pages_through_every_result_once_both_ways(
    corpus: dict[str, Recommendation], client: Client, order: dict[str, str]
) -> None:
    whole = client.get(API, {**order, "page_size": 100}).json()
    expected = _ids(whole)
    assert len(expected) == whole["count"] > 3

    pages = [client.get(API, {**order, "page_size": 2}).json()]
    assert pages[0]["previous"] is None
    with CaptureQueriesContext(connection) as queries:
        while pages[-1]["next"]:
            pages.append(client.get(pages[-1]["next"]).json())
    assert [pk for page in pages for pk in _ids(page)] == expected
    assert all(page["count"] == whole["count"] for page in pages)
    assert not [q["sql"] for q in queries.captured_queries if SKIPPING.search(q["sql"])]

    backwards = [pages[-1]]
    while backwards[-1]["previous"]:
        backwards.append(client.get(backwards[-1]["previous"]).json())
    assert [_ids(page) for page in reversed(backwards)] == [_ids(page) for page in pages]


def test_an_altered_or_foreign_cursor_is_a_400_naming_cursor(
    corpus: dict[str, Recommendation], client: Client
) -> None:
    first = client.get(API, {"page_size": 2}).json()
    cursor = parse_qs(urlsplit(first["next"]).query)["cursor"][0]
    position = decode_cursor(cursor)

    altered = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
    forged = signing.dumps({**position, "k": [None, None, 1]}, salt="not the site's", compress=True)
    other_order = encode_cursor({**position, "o": "oldest"})
    wrong_length = encode_cursor({**position, "k": position["k"][:1]})
    for bad in (altered, forged, "not-a-cursor", other_order, wrong_length):
        response = client.get(API, {"page_size": 2, "cursor": bad})
        assert response.status_code == 400, bad
        assert response.json()["error"]["where"] == "cursor"
    # The same cursor with a query added is a cursor of the newest-first order no longer asked for.
    response = client.get(API, {"page_size": 2, "q": "torture", "cursor": cursor})
    assert response.status_code == 400 and response.json()["error"]["where"] == "cursor"


def test_the_search_pages_next_links_seek_and_the_last_page_reads_backwards(
    corpus: dict[str, Recommendation], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    order = [r["public_id"] for r in client.get(API, {"page_size": 100}).json()["results"]]
    total = len(order)
    pages = -(-total // 3)
    seen: list[str] = []
    html = client.get(SEARCH).content.decode()
    with CaptureQueriesContext(connection) as queries:
        for number in range(1, pages + 1):
            seen += re.findall(r'href="/recommendations/(T[^/"]+)/"', html)
            assert f"Page {number} of {pages}" in html
            following = re.search(r'href="(\?[^"]*)" rel="next"', html)
            if number == pages:
                assert following is None
                break
            assert following and "cursor=" in following.group(1)
            html = client.get(SEARCH + following.group(1).replace("&amp;", "&")).content.decode()
    assert list(dict.fromkeys(seen)) == order
    assert not [q["sql"] for q in queries.captured_queries if SKIPPING.search(q["sql"])]

    for huge in ("9223372036854775807", str(pages)):
        last = client.get(SEARCH, {"page": huge})
        assert last.status_code == 200
        shown = list(dict.fromkeys(re.findall(r'href="/recommendations/(T[^/"]+)/"', last.content.decode())))
        assert shown == order[(pages - 1) * 3 :]

    tampered = client.get(SEARCH, {"page": "2", "cursor": "abc"})
    assert tampered.status_code == 400
