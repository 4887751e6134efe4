"""The audit actions that core's services record: accounts, second factors, API tokens and roles."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrcoop.core.audit import AuditAction


class CoreAction(AuditAction):
    SECOND_FACTOR_ENROLLED = "accounts.second_factor_enrolled", _("Second factor enrolled")
    INVITED = "accounts.invited", _("Person invited")
    INVITATION_ACCEPTED = "accounts.invitation_accepted", _("Invitation accepted")
    RECOVERY_CODES_GENERATED = "accounts.recovery_codes_generated", _("Recovery codes made")
    RECOVERY_CODE_USED = "accounts.recovery_code_used", _("Recovery code used")
    TOKEN_CREATED = "accounts.token_created", _("API token created")
    TOKEN_REVOKED = "accounts.token_revoked", _("API token revoked")
    MAIL_PREFERENCES_CHANGED = "accounts.mail_preferences_changed", _("E-mail language or time zone changed")
    ROLE_GRANTED = "core.role_granted", _("Role granted")
    ROLE_REVOKED = "core.role_revoked", _("Role revoked")
