"""The secretariat's back office: every model of ours is in the admin, and every list opens."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.test import Client, RequestFactory
from django.urls import reverse

from hrcoop.core.models import AuditChainHead, DataVersion, User
from hrcoop.recommendations.models import KeptFigures
from hrcoop.recommendations.search.models import Embedding, SearchDocument

# Internal bookkeeping rows that nobody reads by hand, and why they are left out of the admin.
NOT_IN_ADMIN = {
    AuditChainHead: "the head of the audit hash chain: one row the audit service locks",
    SearchDocument: "the full-text index, derived from the records (hrcoop search reindex rebuilds it)",
    Embedding: "sentence vectors, derived from the records' texts",
    DataVersion: "counters the receivers of domain events raise, read for the API's ETags and caches",
    KeptFigures: "whole-registry figures derived from the records, recomputed by a task after a change",
}

pytestmark = pytest.mark.django_db


def our_models() -> list[type]:
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("hrcoop.")
        for model in config.get_models(include_auto_created=False)
        if model not in NOT_IN_ADMIN
    ]


def test_every_model_is_in_the_admin_or_shown_inline() -> None:
    inline = {i.model for model_admin in admin.site._registry.values() for i in model_admin.inlines}
    missing = [m._meta.label for m in our_models() if m not in admin.site._registry and m not in inline]
    assert missing == []


def test_every_admin_list_opens(reference_data: None, client: Client) -> None:
    client.force_login(User.objects.create_superuser("operator", password="x" * 12))
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_the_admin_writes_our_data_only_through_the_services(reference_data: None) -> None:
    """Services are the only writers (docs/architecture.md): an admin page of our models that lets an
    operator add, change or delete does it through a service (so it is audited and the domain events
    fire), or it is read-only. Users are Django's own, with their roles granted through a service."""
    request = RequestFactory().get("/")
    request.user = User.objects.create_superuser("operator", password="x" * 12)
    writers = {
        "add": ("has_add_permission", "save_model"),
        "change": ("has_change_permission", "save_model"),
        "delete": ("has_delete_permission", "delete_model"),
    }
    direct = [
        f"{model._meta.label} ({what})"
        for model, model_admin in admin.site._registry.items()
        if model in our_models() and model is not User
        for what, (permission, method) in writers.items()
        if getattr(model_admin, permission)(request)
        and getattr(type(model_admin), method) is getattr(ModelAdmin, method)
    ]
    assert direct == []
