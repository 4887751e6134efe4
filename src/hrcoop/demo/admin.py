from django.contrib import admin

from hrcoop.core.admin import ReadOnlyAdmin
from hrcoop.demo.models import DemoRecord


@admin.register(DemoRecord)
class DemoRecordAdmin(ReadOnlyAdmin):
    """Which records are the demo's: written by ``hrcoop init --demo``, emptied by ``hrcoop demo remove``."""

    list_display = ["content_type", "object_id", "registered_at"]
    list_filter = ["content_type"]
    search_fields = ["object_id"]
