"""Bounded batches: work over any number of rows a batch at a time, never one statement per table.

A list of ids handed to one ``pk__in=`` becomes one SQL parameter per id: SQLite refuses a statement
with more than its variable limit (``hrcoop search reindex --full`` failed at a million records with
"too many SQL variables"), and both engines plan and hold such a list whole. ``batched`` cuts any list
into pieces of ``batch_size()``; ``id_batches`` walks a queryset's ids in key order, a page at a time
(``pk > last ORDER BY pk LIMIT n``), so that not even the ids of every row are held at once.

``HRCOOP_BATCH_SIZE`` (default 1000) sets the size; tests set it small to prove the batching with a
handful of rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import QuerySet

T = TypeVar("T")


def batch_size() -> int:
    """Rows per batch: ``HRCOOP_BATCH_SIZE``, at least 1."""
    return max(1, int(settings.HRCOOP_BATCH_SIZE))


def batched(items: Iterable[T], *, size: int | None = None) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size`` (``batch_size()`` unless given), in their order."""
    size = size or batch_size()
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def id_batches(queryset: QuerySet[Any], *, size: int | None = None) -> Iterator[list[int]]:
    """The primary keys of ``queryset`` in ascending order, ``size`` at a time, each batch one query
    that seeks past the last key of the one before (it never reads the rows already walked).

    Rows the caller changes between batches are not seen twice, and a filter that the caller's work
    makes false (a stale row made fresh) is simply not met again.
    """
    size = size or batch_size()
    last: int | None = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        ids = list(page.order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids
        if len(ids) < size:
            return
        last = ids[-1]
