"""Reference data in the Django admin.

The rows that records show (States, regional groups, organisations and their members, mechanisms,
cycles, sessions) are saved and deleted through ``reference.services``, so that each edit is audited
and the search index and the registry's caches follow (``core.events``). The SDG texts and the
spellings of State names come from the reference files and are read-only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from hrcoop.core.admin import ReadOnlyAdmin
from hrcoop.core.models import User
from hrcoop.reference.forms import NamesForm
from hrcoop.reference.models import (
    Fund,
    Mechanism,
    Organisation,
    RegionalGroup,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    State,
    StateName,
    UprCycle,
    UprSession,
)
from hrcoop.reference.services import (
    create_reference_row,
    delete_reference_row,
    fixed_fields,
    set_organisation_members,
    update_reference_row,
)


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


class ReferenceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Saves and deletes through the reference services; a row's code (its key) is fixed once made."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += fixed_fields(type(obj))
        return readonly

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        fields = [f.name for f in obj._meta.concrete_fields if f.name in form.cleaned_data]
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in fields}
            update_reference_row(stored, actor=_actor(request), changes=changes)
        else:
            values = {name: form.cleaned_data[name] for name in fields}
            saved = create_reference_row(type(obj), actor=_actor(request), values=values)
            obj.pk = saved.pk
            obj._state.adding = False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Relations are written by the services; inlines here are read-only, and are only read for
        the admin's own log of what changed."""
        for formset in formsets:
            formset.save(commit=False)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        delete_reference_row(obj, actor=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            delete_reference_row(obj, actor=_actor(request))


class StateNameInline(admin.TabularInline):  # type: ignore[type-arg]
    """Spellings of a State's name that imports recognise: from ``data/states.csv``, read-only here."""

    model = StateName
    extra = 0
    fields = readonly_fields = ("name", "key")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NamedAdmin(ReferenceAdmin):
    """A row named in six languages: one field per language in place of the JSON of ``names``."""

    form = NamesForm
    exclude = ["names"]


@admin.register(State)
class StateAdmin(NamedAdmin):
    list_display = ["name", "iso3", "iso2", "m49", "status", "regional_group", "ldc", "lldc", "sids"]
    list_filter = ["status", "regional_group", "ldc", "lldc", "sids"]
    search_fields = ["name", "iso3", "iso2", "aliases__name"]
    inlines = [StateNameInline]


@admin.register(Organisation)
class OrganisationAdmin(NamedAdmin):
    list_display = ["code", "name"]
    filter_horizontal = ["members"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        set_organisation_members(form.instance, form.cleaned_data["members"], actor=_actor(request))


@admin.register(UprSession)
class UprSessionAdmin(ReferenceAdmin):
    list_display = ["number", "cycle", "year"]
    list_filter = ["cycle"]


@admin.register(RegionalGroup, Mechanism)
class NamedReferenceAdmin(NamedAdmin):
    pass


@admin.register(UprCycle)
class PlainReferenceAdmin(ReferenceAdmin):
    pass


@admin.register(SdgTarget)
class SdgTargetAdmin(ReadOnlyAdmin):
    list_display = ["code", "goal", "title"]
    list_filter = ["goal"]


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    """Funds are added by the secretariat at ``/funds/new/`` (``funds.services.create_fund``, which
    checks the code and the currency and audits the addition); the admin only shows them."""

    list_display = ["code", "name", "currency"]
    form = NamesForm
    exclude = ["names"]


admin.site.register([SdgGoal, SdgIndicator], ReadOnlyAdmin)
