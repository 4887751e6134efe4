from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hrcoop.core.models import User
from hrcoop.portal.desk import sections_for
from hrcoop.recommendations import figures as registry_figures
from hrcoop.reference.models import State


def home(request: HttpRequest) -> HttpResponse:
    # The figures cover the whole registry (3.7-6 s at a million records): a task recomputes them
    # after each change of the records, and the page shows the last ones computed (``figures``).
    figures = registry_figures.kept(registry_figures.HOME)
    states = list(State.objects.select_related("regional_group"))
    for state in states:
        state.received = figures["received"].get(str(state.pk), 0)  # type: ignore[attr-defined]
        state.made = figures["made"].get(str(state.pk), 0)  # type: ignore[attr-defined]
    return render(
        request,
        "portal/home.html",
        {"stats": figures["stats"], "cycles": figures["cycles"], "states": states},
    )


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """Where a person lands after signing in: what awaits them in each role they hold."""
    user = request.user
    assert isinstance(user, User)
    return render(request, "portal/desk.html", {"sections": sections_for(user)})


def getting_an_account(request: HttpRequest) -> HttpResponse:
    """Who gives accounts and what to write to them: the site has no self-registration, by design."""
    return render(
        request,
        "portal/getting_an_account.html",
        {"contact": settings.CONTACT_EMAIL, "days": settings.PASSWORD_RESET_TIMEOUT // 86400},
    )
