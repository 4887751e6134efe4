"""The audit actions that reference data's services record: rows created, changed and deleted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrcoop.core.audit import AuditAction


class ReferenceAction(AuditAction):
    CREATED = "reference.created", _("Reference data created")
    CHANGED = "reference.changed", _("Reference data changed")
    MEMBERS_CHANGED = "reference.members_changed", _("Members changed")
    DELETED = "reference.deleted", _("Reference data deleted")
