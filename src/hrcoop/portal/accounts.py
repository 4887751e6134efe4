"""The account pages beyond Django's sign-in: the second factor (enrol, verify, recovery codes), the
account's settings and API tokens, a locked-out account, invitations, and the password reset whose
e-mail links to the site's public address."""

from __future__ import annotations

import base64
from typing import Any, cast

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.views import (
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
)
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrcoop.core import accounts as core_accounts
from hrcoop.core import recovery, services, tokens
from hrcoop.core.api import API_PREFIX, error_body
from hrcoop.core.errors import DomainError
from hrcoop.core.models import ApiToken, Role, User, time_zone_names
from hrcoop.core.roles import has_role


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return target if safe else "/"


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (a QR code and the secret typed by hand), or verify a code from it, or
    a recovery code instead. Enrolment ends on the new recovery codes, shown this once."""
    user = request.user
    assert isinstance(user, User)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next(request))
    device = core_accounts.confirmed_device(user)
    enrolling = device is None
    pending = core_accounts.pending_device(user) if enrolling else None
    error, status = "", 200
    if request.method == "POST":
        try:
            code = request.POST.get("code", "")
            if pending is not None:
                core_accounts.confirm_device(request, pending, code=code)
                codes = recovery.generate_codes(user, actor=user)
                return _show_codes(request, codes, enrolled=True)
            if "recovery_code" in request.POST:
                recovery.sign_in_with_code(request, user, code=request.POST["recovery_code"])
            else:
                core_accounts.verify_code(request, user, code=code)
            return redirect(_next(request))
        except DomainError as exc:
            error, status = exc.message, 400
    context = {"enrolling": enrolling, "error": error, "next": _next(request)}
    if pending is not None:
        uri = pending.config_url
        context["secret"] = base64.b32encode(pending.bin_key).decode()
        # segno writes a plain SVG (no script, no style element): it passes the site's CSP as it is.
        context["qr"] = mark_safe(segno.make(uri, error="m").svg_inline(scale=4))
    return render(request, "registration/second_factor.html", context, status=status)


def _show_codes(request: HttpRequest, codes: list[str], *, enrolled: bool) -> HttpResponse:
    """The recovery codes, on this one answer only: never stored, never shown again."""
    context = {"codes": codes, "enrolled": enrolled, "next": _next(request)}
    response = render(request, "accounts/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


class MailPreferencesForm(forms.Form):
    """The language and time zone of the e-mail the platform sends when no page is open."""

    language = forms.ChoiceField(label=gettext_lazy("Language of e-mail"), required=False)
    time_zone = forms.CharField(
        label=gettext_lazy("Time zone of e-mail"),
        required=False,
        max_length=64,
        # An IANA name reads left to right on an Arabic page too.
        widget=forms.TextInput(
            attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false", "dir": "ltr"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        names = dict(settings.LANGUAGES)  # each as it calls itself, as the language menu writes it
        site = _("The site's language (%(language)s)") % {"language": names[settings.LANGUAGE_CODE]}
        cast(forms.ChoiceField, self.fields["language"]).choices = [("", site), *settings.LANGUAGES]
        self.fields["time_zone"].help_text = _(
            "Its IANA name, e.g. Pacific/Fiji or America/Bogota; empty for the site's (%(zone)s)."
        ) % {"zone": settings.TIME_ZONE}


def _settings(request: HttpRequest, mail_form: MailPreferencesForm, *, status: int = 200) -> HttpResponse:
    user = cast(User, request.user)
    context = {
        "device": core_accounts.confirmed_device(user),
        "codes_left": recovery.codes_left(user),
        "codes": recovery.CODES,
        "tokens": user.api_tokens.filter(revoked_at=None).count(),
        "mail_form": mail_form,
        "time_zones": time_zone_names(),
    }
    return render(request, "accounts/settings.html", context, status=status)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """The account's settings: the e-mail's language and time zone; the second factor and how many
    recovery codes are left; API tokens."""
    user = cast(User, request.user)
    return _settings(
        request, MailPreferencesForm(initial={"language": user.language, "time_zone": user.time_zone})
    )


@login_required
def mail_preferences(request: HttpRequest) -> HttpResponse:
    """Set the e-mail's language and time zone; a refusal is shown on the settings page, in the form."""
    if request.method != "POST":
        return redirect("account-settings")
    user = cast(User, request.user)
    form = MailPreferencesForm(request.POST)
    if form.is_valid():
        try:
            services.set_mail_preferences(user, **form.cleaned_data, actor=user)
        except DomainError as exc:
            form.add_error(exc.where or None, exc.message)
        else:
            messages.success(request, _("Your e-mail preferences are saved."))
            return redirect("account-settings")
    return _settings(request, form, status=400)


@login_required
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes replace the old ones (after, say, codes printed on a lost sheet)."""
    user = cast(User, request.user)
    if request.method != "POST":
        return redirect("account-settings")
    if core_accounts.confirmed_device(user) is None:
        messages.error(request, _("Recovery codes stand in for an authenticator app: enrol one first."))
        return redirect("account-settings")
    return _show_codes(request, recovery.generate_codes(user, actor=user), enrolled=False)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("After what uses it, e.g. “nightly statements export”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("read: GET only; write: also changes, as your roles allow."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Days until it expires"),
        initial=tokens.DEFAULT_DAYS,
        # Formatted when shown, in the reader's language (``%`` on a lazy string would format it now).
        help_text=lazy(lambda: _("From 1 to %(max)d days.") % {"max": tokens.MAX_DAYS}, str)(),
    )


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The person's API tokens: see them, create one (its key shown once), revoke one."""
    user = cast(User, request.user)
    form = TokenForm(request.POST or None, initial={"scopes": [ApiToken.Scope.READ]})
    status, error, key = 200, "", ""
    if request.method == "POST" and form.is_valid():
        try:
            key = tokens.create_token(
                user,
                actor=user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
            )[1]
            form = TokenForm(initial={"scopes": [ApiToken.Scope.READ]})
        except DomainError as exc:
            error, status = (f"{exc.where}: {exc.message}" if exc.where else exc.message), exc.status
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "error": error,
        "key": key,
        "allowed": tokens.allowed_scopes(user),
        "tokens": user.api_tokens.order_by("-created_at"),
        "max_days": tokens.MAX_DAYS,
    }
    response = render(request, "accounts/api_tokens.html", context, status=status)
    if key:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("api-tokens")
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # another's token does not exist here
    tokens.revoke_token(token, actor=cast(User, request.user))
    messages.success(request, _("Token %(name)s is revoked: it no longer works.") % {"name": token.name})
    return redirect("api-tokens")


def locked_out(
    request: HttpRequest, credentials: dict[str, object] | None = None, *args: object
) -> HttpResponse:
    """What django-axes answers once an account is locked: a page, or the API's JSON error."""
    message = core_accounts.lockout_message()
    if request.path.startswith("/" + API_PREFIX):
        return JsonResponse(error_body(status=429, code="locked_out", message=message), status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    scope = forms.CharField(
        label=gettext_lazy("Scope"),
        required=False,
        max_length=64,
        help_text=gettext_lazy(
            "The State's ISO alpha-3 code for a focal point, the fund's code for a board member, "
            "the donor's id."
        ),
    )


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    """The secretariat invites a person: an account with a role, and a link by e-mail to set its password."""
    if not has_role(request.user, Role.SECRETARIAT):
        raise PermissionDenied(_("Only the secretariat invites people."))
    form = InviteForm(request.POST or None)
    status, error = 200, ""
    if request.method == "POST" and form.is_valid():
        try:
            invited = core_accounts.invite(
                actor=cast(User, request.user),
                email=form.cleaned_data["email"],
                role=Role(form.cleaned_data["role"]),
                scope=form.cleaned_data["scope"].strip(),
                link_for=core_accounts.invitation_link,
            )
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invited.email})
            return redirect("invite")
        except DomainError as exc:
            error, status = (f"{exc.where}: {exc.message}" if exc.where else exc.message), exc.status
    elif request.method == "POST":
        status = 400
    return render(request, "registration/invite.html", {"form": form, "error": error}, status=status)


class AcceptInvitation(PasswordResetConfirmView):
    """The invitation's link: Django's password-reset check of the link, then the account opens."""

    template_name = "registration/accept_invitation.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[override]
        core_accounts.accept_invitation(form.user, password=form.cleaned_data["new_password1"])
        messages.success(self.request, _("Your password is set: sign in."))
        del self.request.session["_password_reset_token"]
        return HttpResponseRedirect(self.get_success_url())


class PasswordReset(PasswordResetView):
    """Django's password reset, its e-mail in the language of the page the person asked from.

    The link is built on ``HRCOOP_SITE_URL`` rather than on the request's host: behind a proxy the
    host the application sees is an internal one (127.0.0.1), and the Host header is the asker's to
    choose, so a link built on it could send the token to a stranger's server. The templates live
    under ``accounts/``: under ``registration/`` the admin's own would win (it comes first in
    INSTALLED_APPS).
    """

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        self.extra_email_context = {
            "site_url": settings.SITE_URL,
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        return super().form_valid(form)


class PasswordResetDone(PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirm(PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"


class PasswordResetComplete(PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
