"""A State's memberships changed one at a time (the admin, the shell): tell whoever derives data from them.

The loader sends ``memberships_changed`` and ``reference_changed`` itself after its bulk writes. An
edit through the ORM sends only Django's own signals, so these receivers translate them: a State
saved into another regional group, States added to or removed from an organisation, from either
side of the relation, or an organisation deleted with its members. Without them the search index
kept the old group or organisation as facet tokens of the States' records, and the registry's
version, which keys the kept facet counts, did not move.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from hrcoop.reference.models import Organisation, State
from hrcoop.reference.signals import memberships_changed, reference_changed


def _group_before_save(sender: type[State], instance: State, **kwargs: Any) -> None:
    if instance.pk is not None and not kwargs.get("raw"):
        before = State.objects.filter(pk=instance.pk).values_list("regional_group_id", flat=True).first()
        instance._regional_group_before = before  # type: ignore[attr-defined]


def _group_after_save(sender: type[State], instance: State, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_regional_group_before", instance.regional_group_id)
    if not created and before != instance.regional_group_id:
        memberships_changed.send(sender=State, state_ids=[instance.pk])


def _members_changed(
    sender: Any,
    instance: Organisation | State,
    action: str,
    reverse: bool,
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    """``reverse``: changed from a State's side (``state.organisations``), else from an organisation's."""
    if action == "pre_clear":  # who leaves is read while the rows are there, and sent once they are gone
        _note_leaving(instance)
        return
    if action == "post_clear":
        states = getattr(instance, "_states_leaving", [])
    elif action in ("post_add", "post_remove") and pk_set:
        states = [instance.pk] if reverse else sorted(pk_set)
    else:
        return
    if states:
        memberships_changed.send(sender=State, state_ids=states)
        reference_changed.send(sender=State)


def _note_leaving(instance: Organisation | State, **kwargs: Any) -> None:
    """Before memberships are cleared (from either side) or an organisation is deleted: whose."""
    leaving = [instance.pk] if isinstance(instance, State) else instance.members.values_list("pk", flat=True)
    instance._states_leaving = sorted(leaving)  # type: ignore[union-attr]


def _organisation_deleted(sender: type[Organisation], instance: Organisation, **kwargs: Any) -> None:
    states = getattr(instance, "_states_leaving", [])
    if states:  # the version is raised by the deletion itself (``reference_cache``)
        memberships_changed.send(sender=State, state_ids=states)


def connect() -> None:
    pre_save.connect(_group_before_save, sender=State, dispatch_uid="reference-group-before")
    post_save.connect(_group_after_save, sender=State, dispatch_uid="reference-group-after")
    m2m_changed.connect(
        _members_changed, sender=Organisation.members.through, dispatch_uid="reference-organisation-members"
    )
    pre_delete.connect(_note_leaving, sender=Organisation, dispatch_uid="reference-organisation-gone")
    post_delete.connect(
        _organisation_deleted, sender=Organisation, dispatch_uid="reference-organisation-deleted"
    )
