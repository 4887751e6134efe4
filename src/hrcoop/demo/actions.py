"""The audit actions that the demo's services record: its records and users, made and taken out."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrcoop.core.audit import AuditAction


class DemoAction(AuditAction):
    REGISTERED = "demo.register", _("Demo record made")
    REMOVED = "demo.remove", _("Demo record removed")
    USER_CREATED = "demo.create_user", _("Demo user created")
    USER_DEACTIVATED = "demo.deactivate_user", _("Demo user deactivated")
