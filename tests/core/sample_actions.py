"""Actions for the tests of the audit log itself, which are about the chain, not about any app."""

from __future__ import annotations

from hrcoop.core.audit import AuditAction


class SampleAction(AuditAction):
    CREATED = "test.created", "Created (test)"
    CHANGED = "test.changed", "Changed (test)"
