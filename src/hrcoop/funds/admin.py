"""Read-only views of the books for operators: the ledger is written only through ``services``.

Funds themselves are added by the secretariat at ``/funds/new/`` (``services.create_fund``); donors
at ``/funds/donors/new/`` (``services.register_donor``).
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hrcoop.core.admin import ReadOnlyAdmin
from hrcoop.funds.models import Account, Allocation, Donor, Line, Pledge, Posting, Receipt


class LineInline(admin.TabularInline):
    model = Line
    fields = ["account", "amount"]
    readonly_fields = ["account", "amount"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Donor)
class DonorAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "traditional", "anonymous", "state"]
    list_filter = ["kind", "traditional"]
    search_fields = ["name"]


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["pk", "fund", "donor", "amount", "currency", "pledged_on"]
    list_filter = ["fund", "currency"]


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ["pk", "fund", "kind", "occurred_on", "idempotency_key", "reverses"]
    list_filter = ["fund", "kind"]
    search_fields = ["idempotency_key"]
    inlines = [LineInline]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["fund", "kind", "currency", "balance"]
    list_filter = ["fund", "kind", "currency"]


admin.site.register([Receipt, Allocation], ReadOnlyAdmin)
