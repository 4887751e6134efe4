from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hrcoop.core.audit import action_label
from hrcoop.core.models import ApiToken, AuditEvent, Role, RoleAssignment, User
from hrcoop.core.services import MAIL_PREFERENCES, grant_role, revoke_role, set_mail_preferences


class RoleAssignmentInline(admin.TabularInline):
    """A user's roles, granted and revoked through ``core.services`` (``HrcoopUserAdmin.save_formset``)."""

    model = RoleAssignment
    extra = 0


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Viewable by staff, written only by services (imports, the ledger, the audit log)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """Rows shown inside their parent's page, for the same reason as ``ReadOnlyAdmin``."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ApiTokenInline(admin.TabularInline):
    """A user's API tokens, shown only: they are created and revoked through ``hrcoop tokens``."""

    model = ApiToken
    extra = 0
    fields = readonly_fields = (
        "prefix", "name", "scopes", "created_at", "expires_at", "revoked_at", "last_used_at",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class HrcoopUserAdmin(UserAdmin):
    inlines = [RoleAssignmentInline, ApiTokenInline]
    fieldsets = (*(UserAdmin.fieldsets or ()), (_("E-mail"), {"fields": MAIL_PREFERENCES}))

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """The e-mail preferences through ``set_mail_preferences``, audited with their old values; the
        rest of the form as Django's user admin saves it."""
        chosen = {name: form.cleaned_data.get(name, "") for name in MAIL_PREFERENCES}
        if change:
            stored = User.objects.values(*MAIL_PREFERENCES).get(pk=obj.pk)
            for name in MAIL_PREFERENCES:
                setattr(obj, name, stored[name])
        super().save_model(request, obj, form, change)
        set_mail_preferences(obj, **chosen, actor=cast(User, request.user))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Roles through the services, so that each grant and revocation is audited; a changed row is
        the old role revoked and the new one granted."""
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        actor = request.user if isinstance(request.user, User) else None
        formset.save(commit=False)  # fills new_objects, changed_objects and deleted_objects
        for assignment in formset.deleted_objects:
            revoke_role(assignment, actor=actor)
        for assignment, _fields in formset.changed_objects:
            revoke_role(RoleAssignment.objects.get(pk=assignment.pk), actor=actor)
        for assignment in [*formset.new_objects, *(a for a, _changed in formset.changed_objects)]:
            grant_role(form.instance, Role(assignment.role), scope=assignment.scope, actor=actor)


class ActionFilter(admin.SimpleListFilter):
    """The actions found in the log, by their labels (an action no longer declared, by its value)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        found = AuditEvent.objects.values_list("action", flat=True).distinct().order_by("action")
        return [(value, action_label(value)) for value in found]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log is append-only, even for operators."""

    list_display = ["at", "actor_label", "what", "target_type", "target_id"]
    list_filter = [ActionFilter, "target_type"]
    search_fields = ["target_id", "actor_label"]

    @admin.display(description=_("What"), ordering="action")
    def what(self, event: AuditEvent) -> str:
        """What happened, as the action's declared label says it."""
        return action_label(event.action)
