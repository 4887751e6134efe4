"""Loading the demo into an empty database and taking it out again (DESIGN.md §4.1).

Both are one transaction each. Loading writes, besides the audit events of the services it
calls, one ``demo.register`` event per record it made; it refuses, changing nothing, when the
database holds a record the demo did not make, and changes nothing when the demo is there already.
Removal appends one ``demo.remove`` event per record it takes out (the audit log is append-only, so
the events the demo wrote stay, and the chain with them). Recommendations that a real import also
brought, or that a real request cites, stay as real records. The demo's users cannot be deleted,
since audit events and the requests' timelines name them: removal deactivates them and takes their
roles, so nobody can sign in with them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import ProtectedError
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.core.audit import record_events
from hrcoop.core.errors import Conflict
from hrcoop.core.events import records_changed
from hrcoop.core.models import RoleAssignment, User
from hrcoop.demo import documents, plan, workspace
from hrcoop.demo.actions import DemoAction
from hrcoop.demo.models import DemoRecord
from hrcoop.funds.models import Account, Allocation, Donor, Line, Pledge, Posting, Receipt
from hrcoop.mandates.models import Resolution
from hrcoop.recommendations.models import Classification, ImportRun, Recommendation
from hrcoop.reference.models import Fund
from hrcoop.tracking.models import Institution, Plan, TrackedRecommendation

# The records a person brings in or makes; reference data (States, the UN funds, SDG texts) is not
# among them. Listed in the order removal deletes them, dependants first.
RECORD_MODELS: tuple[type[models.Model], ...] = (
    Allocation,
    Receipt,
    Pledge,
    Plan,
    Institution,
    AssistanceRequest,
    Donor,
    Recommendation,
    ImportRun,
    Resolution,
)


def sign_in_file() -> Path:
    """Where the demo's passwords are kept for ``hrcoop init --demo`` to print at every start."""
    return Path(settings.VAR_DIR) / "demo-sign-ins.txt"


def is_loaded() -> bool:
    return DemoRecord.objects.exists()


def _demo_ids(model: type[models.Model]) -> list[str]:
    content_type = ContentType.objects.get_for_model(model)
    return list(DemoRecord.objects.filter(content_type=content_type).values_list("object_id", flat=True))


def real_records() -> dict[str, int]:
    """How many records of each kind the database holds that the demo did not make (kinds with none
    are left out): the demo loads only where this is empty."""
    counts = {}
    for model in RECORD_MODELS:
        if count := model._default_manager.exclude(pk__in=_demo_ids(model)).count():
            counts[str(model._meta.verbose_name_plural)] = count
    return counts


def _register(records: Iterable[models.Model]) -> None:
    DemoRecord.objects.bulk_create(
        [
            DemoRecord(content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk))
            for record in records
        ],
        ignore_conflicts=True,
    )


def _write_sign_ins(sign_ins: list[workspace.SignIn]) -> None:
    path = sign_in_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.writelines(f"{s.role}\t{s.username}\t{s.password}\n" for s in sign_ins)


def load_demo() -> dict[str, Any]:
    """Load the documents and build the workspace; nothing when already loaded; ``Conflict`` (and
    no change) when the database holds real records.

    The workflow steps the loader takes send their notices after commit, to the demo users'
    ``.invalid`` addresses: they are dropped rather than printed over ``make run``'s first screen.
    The sentence vectors of the meaning search are computed by the task worker ``make run`` starts
    beside the server, as for any import (a few seconds for the demo's 631 recommendations).
    """
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _load()


@transaction.atomic
def _load() -> dict[str, Any]:
    if is_loaded():
        return {"loaded": False, "reason": "the demo is already loaded"}
    found = real_records()
    if found:
        raise Conflict(
            _(
                "the demo loads only into an empty database, and this one holds real records (%(found)s); "
                "nothing was changed. Start without it (HRCOOP_DEMO=0 make run, or hrcoop init)."
            )
            % {"found": ", ".join(f"{kind}: {count}" for kind, count in found.items())}
        )
    started = time.perf_counter()
    sdg = documents.load_sdg()
    runs = documents.import_recommendations(actor=None)
    recommendations = list(Recommendation.objects.all())
    resolutions = documents.import_resolutions(actor=None)
    made: list[models.Model] = [*ImportRun.objects.all(), *recommendations, *Resolution.objects.all()]
    sign_ins = workspace.build(made)
    sign_ins += plan.build(made)
    _register(made)
    # Each record's history says it is demo data, from the moment it was made to its removal.
    record_events(actor=None, action=DemoAction.REGISTERED, changes=[(record, {}) for record in made])
    _write_sign_ins(sign_ins)
    return {
        "loaded": True,
        "sdg": sdg,
        "recommendations": sum(run["records_created"] for run in runs),
        "resolutions": sum(len(r["created"]) for r in resolutions),
        "records": len(made),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _delete_ledger(fund: Fund) -> None:
    """A demo fund's whole ledger: lines, postings, documents, accounts."""
    Line.objects.filter(posting__fund=fund).delete()
    Posting.objects.filter(fund=fund).delete()
    Allocation.objects.filter(fund=fund).delete()
    Receipt.objects.filter(pledge__fund=fund).delete()
    Pledge.objects.filter(fund=fund).delete()
    Account.objects.filter(fund=fund).delete()


def _refuse_real_records_in_demo_funds(funds: list[Fund]) -> None:
    """A request or pledge someone made in a demo fund would go with the fund's ledger: say so."""
    for model, field in ((AssistanceRequest, "fund"), (Pledge, "fund"), (Allocation, "fund")):
        real = model._default_manager.filter(**{f"{field}__in": funds}).exclude(pk__in=_demo_ids(model))
        if real.exists():
            raise Conflict(
                _(
                    "%(count)d %(kind)s not made by the demo belong to the demo funds (%(funds)s); "
                    "move or reverse them first. Nothing was removed."
                )
                % {
                    "count": real.count(),
                    "kind": model._meta.verbose_name_plural,
                    "funds": ", ".join(f.code for f in funds),
                }
            )


def _recommendations_also_real() -> set[str]:
    """Demo recommendations that real work also holds: a real import that found the same record
    (and gave it labels of its own), a real request for assistance that cites it, or a real
    implementation plan that tracks it. They stay, as real records, when the demo goes."""
    demo = _demo_ids(Recommendation)
    labelled = (
        Classification.objects.filter(recommendation_id__in=demo, import_run__isnull=False)
        .exclude(import_run_id__in=_demo_ids(ImportRun))
        .values_list("recommendation_id", flat=True)
    )
    cited = AssistanceRequest.recommendations.through.objects.filter(recommendation_id__in=demo).exclude(
        assistancerequest_id__in=_demo_ids(AssistanceRequest)
    )
    tracked = TrackedRecommendation.objects.filter(recommendation_id__in=demo).exclude(
        plan_id__in=_demo_ids(Plan)
    )
    return (
        {str(pk) for pk in labelled}
        | {str(pk) for pk in cited.values_list("recommendation_id", flat=True)}
        | {str(pk) for pk in tracked.values_list("recommendation_id", flat=True)}
    )


@transaction.atomic
def remove_demo(*, actor: User | None) -> dict[str, int]:
    """Take every demo record out, with one audit event each; real records stay as they were."""
    funds = list(Fund.objects.filter(code__in=_demo_ids(Fund)))
    _refuse_real_records_in_demo_funds(funds)
    kept = _recommendations_also_real()
    removed: dict[str, int] = {}
    doomed: dict[type[models.Model], list[models.Model]] = {}
    removable: tuple[type[models.Model], ...] = (*RECORD_MODELS, Fund)
    for model in removable:
        ids = _demo_ids(model)
        if model is Recommendation:
            ids = [pk for pk in ids if pk not in kept]
        records = list(model._default_manager.filter(pk__in=ids))
        if records:
            record_events(
                actor=actor,
                action=DemoAction.REMOVED,
                changes=[(record, {"record": str(record)}) for record in records],
            )
            doomed[model] = records
            removed[model._meta.label_lower] = len(records)
    for fund in funds:
        _delete_ledger(fund)
    try:
        for model, records in doomed.items():
            model._default_manager.filter(pk__in=[r.pk for r in records]).delete()
    except ProtectedError as exc:
        raise Conflict(
            _("a record not made by the demo refers to demo records (%(refs)s); nothing was removed")
            % {"refs": ", ".join(sorted({str(o) for o in exc.protected_objects})[:5])}
        ) from exc
    users = list(User.objects.filter(pk__in=_demo_ids(User)))
    if users:
        record_events(
            actor=actor,
            action=DemoAction.USER_DEACTIVATED,
            changes=[(user, {"username": user.username}) for user in users],
        )
        for user in users:
            user.is_active = False
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
        RoleAssignment.objects.filter(user__in=users).delete()
        removed["core.user (deactivated)"] = len(users)
    if Recommendation in doomed:  # their search documents went with them; the registry's version follows
        records_changed.send(ids=[r.pk for r in doomed[Recommendation]], text_changed=False)
    if kept:
        removed["recommendations.recommendation (kept: real work holds them)"] = len(kept)
    DemoRecord.objects.all().delete()
    transaction.on_commit(lambda: sign_in_file().unlink(missing_ok=True))
    return removed
