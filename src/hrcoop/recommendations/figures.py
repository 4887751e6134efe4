"""Figures over the whole registry, kept in the database and recomputed by a task after a change.

At a million records the home page's figures take 3.5 s and the facet counts of the whole registry
(the search page before anything is asked) about as long. Kept in a per-process cache under the
registry's version, they were recomputed by the first visitor of every worker after every write.
Now a change of the records (``registry_version.records_written``) queues ``refresh_stale`` once it
commits (``tasks.refresh_registry_figures``), and a visitor reads the last figures computed: the
previous ones while the task runs, seconds behind the records. They depend on the records only
(their facet tokens and their cycles, responses, labels and States by id): a renamed State or label
changes how they are named on the page, which is read at each request, not their numbers.

A site that never computed them (a new database, or just migrated) computes them at the first view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count
from django.utils import timezone

from hrcoop.recommendations.models import KeptFigures, Recommendation
from hrcoop.recommendations.registry_version import REGISTRY, registry_key
from hrcoop.recommendations.search.engines import engine
from hrcoop.recommendations.selectors import cycle_response_table, registry_stats

HOME = "home"
FACET_TOKENS = "facet-tokens"


def home_figures() -> dict[str, Any]:
    """Recommendations received and made per State (keyed by the State's id as text, as JSON keeps
    it), the registry's statistics and the table of responses per cycle."""
    # Two grouped counts rather than one query joining both sides: the join multiplies rows
    # (received x made per State) and took over a minute on the 41k-record registry.
    through = Recommendation.recommending_states.through
    received = Recommendation.objects.values_list("state_under_review").annotate(n=Count("id")).order_by()
    made = through.objects.values_list("state").annotate(n=Count("recommendation")).order_by()
    return {
        "received": {str(pk): n for pk, n in received},
        "made": {str(pk): n for pk, n in made},
        "stats": registry_stats(),
        "cycles": cycle_response_table(),
    }


def facet_token_counts() -> dict[str, int]:
    """How many records carry each facet token, over the whole registry."""
    return dict(engine().facet_token_counts(None))


COMPUTE: dict[str, Callable[[], Any]] = {HOME: home_figures, FACET_TOKENS: facet_token_counts}


def kept(name: str) -> Any:
    """The figures ``name`` as last computed (one primary-key read); computed here only if they never
    were."""
    value = KeptFigures.objects.filter(name=name).values_list("value", flat=True).first()
    return refresh(name) if value is None else value


def kept_version(name: str) -> str:
    """The records' version the figures ``name`` were computed at ("" if they never were): one
    primary-key read, for what is drawn from them and kept in turn."""
    return KeptFigures.objects.filter(name=name).values_list("version", flat=True).first() or ""


def refresh(name: str) -> Any:
    """Compute the figures ``name`` and keep them with the records' version they were computed at.

    The version is read before computing: a change committed meanwhile leaves them older than the
    records, and the task that change queued computes them again.
    """
    version = registry_key((REGISTRY,))
    value = COMPUTE[name]()
    KeptFigures.objects.update_or_create(
        name=name, defaults={"version": version, "computed_at": timezone.now(), "value": value}
    )
    return value


def refresh_stale() -> list[str]:
    """Recompute the figures older than the records (a burst of writes queues many tasks: the first
    one does the work, the others find nothing to do)."""
    version = registry_key((REGISTRY,))
    fresh = set(KeptFigures.objects.filter(version=version).values_list("name", flat=True))
    stale = [name for name in COMPUTE if name not in fresh]
    for name in stale:
        refresh(name)
    return stale
