"""The domain events: what a service tells the apps that keep data derived from what it wrote.

Derived data (the search index, suggested labels, the data versions that key caches and ETags)
follows these events and nothing else: no receiver listens to Django's ORM signals, so a row saved
around the services changes nothing derived, and every path from a write to what follows it is a
``send`` in a service and a ``subscribe`` in an ``AppConfig.ready()`` (DESIGN.md §3).

Following a recommendation's text from an import to the search index:

1. ``recommendations.services.imports.import_file`` writes a file's records in bulk, in one
   transaction, and at its end sends ``import_finished`` (the run's id, whether it created records)
   and, for records that gained recommending States, labels or a response, ``records_changed``.
2. ``recommendations.search.apps`` subscribes ``search.events.index_after_import``, which queues the
   task ``search.tasks.catch_up_index`` once the import commits (a failed file queues nothing): the
   task writes the tokens of every stale record a bounded batch at a time, each batch in its own
   transaction that raises the registry's version, and queues their vectors. The import's own
   transaction writes no search row, so it holds the audit chain's head only for its own events.
   ``index_changed_records`` indexes the ids of ``records_changed`` in the sender's transaction when
   they are few (a correction: its author finds it at once) and queues them after commit when many.
3. ``recommendations.classification.apps`` subscribes ``classification.events.suggest_after_import``:
   when the run created records and a model is active, suggestions are queued once the import commits.
4. ``recommendations.apps`` subscribes the registry's data versions (``core.versions``), one for its
   records and one for its reference rows, which key the API's ETags and cached answers, the kept
   facet counts and the per-process copy of reference rows; a change of the records also queues the
   recomputation of the whole-registry figures once it commits (``recommendations.figures``).

The events:

- ``import_finished(import_run_id, created_records)``: an import committed its file (sent by the
  import writer; never by a dry run, never by a later save of the ``ImportRun``).
- ``records_changed(ids, text_changed)``: these records changed; ``text_changed`` False when only
  their labels, recommending States or response did (their vectors stay). Sent by the import writer,
  a correction (``update_recommendation``), the review of suggestions, and the deletion of a State
  (its recommendations lose a recommending State).
- ``memberships_changed(state_ids)``: these States changed regional group or organisations, which
  every record they review or recommend carries as facet tokens. Sent by the reference services and
  the reference loader.
- ``reference_changed()``: a reference row that records show (a State, group, organisation,
  mechanism, cycle, session or label) was created, changed or deleted. Sent by the same, and by the
  label vocabularies' services.

All four are delivered inside the sender's transaction: what they derive there commits or rolls back
with the change. A receiver with work that would hold the writer (an import's index, vectors,
suggestions) queues it with ``transaction.on_commit`` itself. ``hrcoop search reindex``, run daily,
catches up on anything written around the services.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction

Receiver = Callable[..., None]


class Delivery(enum.Enum):
    IN_TRANSACTION = "in the sender's transaction"
    ON_COMMIT = "once the sender's transaction commits"


@dataclass(eq=False)
class DomainEvent:
    """One kind of event: its name, what it means (``doc``), how it is delivered, and its receivers.

    A receiver is called with the payload as keyword arguments. Subscribing the same function twice
    subscribes it once (``ready()`` may run again in tests).
    """

    name: str
    doc: str
    delivery: Delivery
    receivers: list[Receiver] = field(default_factory=list, repr=False)

    def subscribe(self, receiver: Receiver) -> None:
        if receiver not in self.receivers:
            self.receivers.append(receiver)

    def send(self, **payload: Any) -> None:
        """Deliver to every receiver, in the order they subscribed.

        An event delivered in the transaction refuses to be sent outside one: its receivers' writes
        would then commit on their own, apart from the change they follow.
        """
        if self.delivery is Delivery.IN_TRANSACTION:
            if not transaction.get_connection().in_atomic_block:
                raise RuntimeError(
                    f"the event {self.name!r} must be sent inside the transaction of its change"
                )
            for receiver in list(self.receivers):
                receiver(**payload)
        else:
            for receiver in list(self.receivers):
                transaction.on_commit(partial(receiver, **payload))


import_finished = DomainEvent(
    "import_finished",
    "An import committed its file: import_run_id, created_records (bool).",
    Delivery.IN_TRANSACTION,
)
records_changed = DomainEvent(
    "records_changed",
    "Records changed: ids, text_changed (False when only labels, recommending States or response did).",
    Delivery.IN_TRANSACTION,
)
memberships_changed = DomainEvent(
    "memberships_changed",
    "States changed regional group or organisations: state_ids.",
    Delivery.IN_TRANSACTION,
)
reference_changed = DomainEvent(
    "reference_changed",
    "A reference row that records show was created, changed or deleted.",
    Delivery.IN_TRANSACTION,
)
