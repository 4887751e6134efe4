from django.contrib import admin

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


class StateNameInline(admin.TabularInline):
    model = StateName
    extra = 0


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["name", "iso3", "iso2", "m49", "status", "regional_group", "ldc", "lldc", "sids"]
    list_filter = ["status", "regional_group", "ldc", "lldc", "sids"]
    search_fields = ["name", "iso3", "iso2", "names__name"]
    inlines = [StateNameInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    filter_horizontal = ["members"]


@admin.register(UprSession)
class UprSessionAdmin(admin.ModelAdmin):
    list_display = ["number", "cycle", "year"]
    list_filter = ["cycle"]


@admin.register(SdgTarget)
class SdgTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "goal", "title"]
    list_filter = ["goal"]


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "currency"]


admin.site.register([RegionalGroup, Mechanism, UprCycle, SdgGoal, SdgIndicator])
